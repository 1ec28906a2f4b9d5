package dev.bakehouse.train.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bakehouse.lora.format.LoraReader;
import dev.bakehouse.testing.Fixtures;
import dev.bakehouse.train.optim.OptimizerStateFile;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real SIGKILL during a save leaves every earlier file intact: a child JVM trains with
 * {@code --save_every_n_steps=1 --save_state}; the test kills it the moment it reports the k-th LoRA
 * save, which is when it starts writing that step's state folder (kohya saves the model, then the
 * state), for k = 1, 2, 3 in fresh runs (up to 6 until one kill is seen to land inside a write, by
 * the temporary it leaves). Afterwards every LoRA file and state folder under a final
 * name loads completely, and anything half-written only exists under a hidden temporary name.
 */
class KillDuringSaveTest {
    @TempDir
    Path dir;

    @Test
    void sigkillWhileSaving_leavesEveryFinalNamedLoraAndStateLoadable() throws Exception {
        Path data = TinyTrainingRun.dataset(dir.resolve("data"), "2_kiki", 2);
        int killedDuringWrite = 0;
        int runs = 0;
        for (int k = 1; k <= 6 && (k <= 3 || killedDuringWrite == 0); k++) {
            runs++;
            Path out = dir.resolve("out" + k);
            killAfterSave(data, out, k);
            List<Path> loras = new ArrayList<>();
            List<Path> states = new ArrayList<>();
            List<Path> hidden = new ArrayList<>();
            try (Stream<Path> files = Files.list(out)) {
                for (Path p : files.toList()) {
                    String name = p.getFileName().toString();
                    if (name.startsWith(".")) {
                        hidden.add(p);
                    } else if (name.endsWith("-state")) {
                        states.add(p);
                    } else if (name.endsWith(".safetensors")) {
                        loras.add(p);
                    }
                }
            }
            assertTrue(loras.size() >= k, out + ": the " + k + " LoRA files reported before the kill: " + loras);
            for (Path lora : loras) {
                assertTrue(!LoraReader.read(lora).modules().isEmpty(), lora + " loads");
            }
            for (Path state : states) {
                TrainingState position = TrainingState.read(state);
                assertTrue(position.globalStep() >= 1, state + ": " + position);
                assertTrue(!LoraReader.read(state.resolve(TrainingState.LORA_FILE)).modules().isEmpty(), state + " LoRA");
                OptimizerStateFile.read(state.resolve(TrainingState.OPTIMIZER_FILE));
            }
            assertTrue(states.size() >= k - 1, out + ": the states completed before the k-th save: " + states);
            if (!hidden.isEmpty()) {
                killedDuringWrite++;
            }
            System.out.printf("KILL after save %d: %d LoRA files, %d state folders, %d temporaries %s%n", k, loras.size(),
                    states.size(), hidden.size(), hidden);
        }
        System.out.println("KILL landed inside a write in " + killedDuringWrite + " of " + runs + " runs");
        assertTrue(killedDuringWrite > 0, "no kill of " + runs + " landed during a save (no temporary left behind)");
    }

    /** Runs the child until it reports its k-th LoRA save, then SIGKILLs it. */
    private void killAfterSave(Path data, Path out, int k) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path")));
        String fixtures = Fixtures.file("sd15-tiny").getParent().toString();
        command.add("-Dbakehouse.fixtures=" + fixtures);
        command.addAll(List.of(KillSafetyChild.class.getName(), data.toString(), out.toString(), "50"));
        Path stderr = Files.createTempFile(dir, "child", ".stderr");
        Process child = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            int saves = 0;
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.startsWith("SAVED ") && ++saves == k) {
                    child.destroyForcibly(); // SIGKILL: no shutdown hook runs, nothing is closed
                    break;
                }
            }
            assertEquals(k, saves, () -> "child ended before its save " + k + ": " + tail(stderr));
        } finally {
            child.destroyForcibly();
            assertTrue(child.waitFor(60, TimeUnit.SECONDS), "child did not die");
        }
    }

    private static String tail(Path file) {
        try {
            List<String> all = Files.readAllLines(file);
            return String.join("\n", all.subList(Math.max(0, all.size() - 20), all.size()));
        } catch (java.io.IOException e) {
            return "(no stderr: " + e.getMessage() + ")";
        }
    }
}
