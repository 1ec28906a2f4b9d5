package dev.bakehouse.train.run;

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
 * {@code --save_every_n_steps=1 --save_state} (kohya saves the model, then the state). Run 1 is
 * killed the moment it reports its first LoRA save; run 2 after its second save, at the instant its
 * state folder's temporary appears (the directory is watched in a busy loop), so that the kill
 * lands inside the write — if a save finishes first, the next one is tried. Afterwards every LoRA
 * file and state folder under a final name loads completely, and the half-written state exists
 * only under a hidden temporary name.
 */
class KillDuringSaveTest {
    @TempDir
    Path dir;

    @Test
    void sigkillWhileSaving_leavesEveryFinalNamedLoraAndStateLoadable() throws Exception {
        Path data = TinyTrainingRun.dataset(dir.resolve("data"), "2_kiki", 2);
        Path first = dir.resolve("out1");
        killAt(data, first, 1, false);
        checkOutput(first, 1);
        Path second = dir.resolve("out2");
        int saves = killAt(data, second, 2, true);
        List<Path> hidden = checkOutput(second, saves);
        assertTrue(hidden.stream().anyMatch(p -> p.getFileName().toString().startsWith(".kiki-step")),
                "the kill landed inside a state write: " + hidden);
    }

    /** Every final-named LoRA and state loads; returns the hidden temporaries. */
    private static List<Path> checkOutput(Path out, int saves) throws Exception {
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
        assertTrue(loras.size() >= saves, out + ": the " + saves + " LoRA files reported before the kill: " + loras);
        for (Path lora : loras) {
            assertTrue(!LoraReader.read(lora).modules().isEmpty(), lora + " loads");
        }
        assertTrue(states.size() >= saves - 1, out + ": the states completed before the last save: " + states);
        for (Path state : states) {
            TrainingState position = TrainingState.read(state);
            assertTrue(position.globalStep() >= 1, state + ": " + position);
            assertTrue(!LoraReader.read(state.resolve(TrainingState.LORA_FILE)).modules().isEmpty(), state + " LoRA");
            OptimizerStateFile.read(state.resolve(TrainingState.OPTIMIZER_FILE));
        }
        System.out.printf("KILL %s after %d saves: %d LoRA files, %d state folders, temporaries %s%n", out.getFileName(), saves,
                loras.size(), states.size(), hidden);
        return hidden;
    }

    /**
     * Runs the child until its {@code k}-th LoRA save, then SIGKILLs it: at once, or (watch) when a
     * state temporary appears, moving on to the next save when the state got its final name first.
     * Returns the number of LoRA saves reported before the kill.
     */
    private int killAt(Path data, Path out, int k, boolean watch) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path")));
        command.add("-Dbakehouse.fixtures=" + Fixtures.file("sd15-tiny").getParent());
        command.addAll(List.of(KillSafetyChild.class.getName(), data.toString(), out.toString(), "40"));
        Path stderr = Files.createTempFile(dir, "child", ".stderr");
        Process child = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
        int saves = 0;
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (!line.startsWith("SAVED ") || ++saves < k) {
                    continue;
                }
                if (!watch || stateTemporaryAppears(out, saves)) {
                    child.destroyForcibly(); // SIGKILL: no shutdown hook runs, nothing is closed
                    break;
                }
            }
            int reported = saves;
            assertTrue(reported >= k, () -> "child ended before its save " + k + ": " + tail(stderr));
        } finally {
            child.destroyForcibly();
            assertTrue(child.waitFor(60, TimeUnit.SECONDS), "child did not die");
        }
        return saves;
    }

    /** Busy-watches {@code out} until step {@code step}'s state is a temporary (true) or final (false). */
    private static boolean stateTemporaryAppears(Path out, int step) throws Exception {
        String finalName = String.format("kiki-step%08d-state", step);
        String temporary = "." + finalName + ".";
        while (true) {
            try (Stream<Path> files = Files.list(out)) {
                for (Path p : files.toList()) {
                    String name = p.getFileName().toString();
                    if (name.startsWith(temporary) && !name.contains(".old.")) {
                        return true;
                    }
                    if (name.equals(finalName)) {
                        return false;
                    }
                }
            }
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
