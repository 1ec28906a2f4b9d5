package dev.bakehouse.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.bakehouse.tensor.SafetensorsFile;
import dev.bakehouse.testing.Fixtures;
import ai.djl.util.cuda.CudaUtils;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the {@code ./bakehouse} launcher script itself (bash), not only the Java entry point: its
 * {@code --device} handling, the libtorch set-up it chooses and how the value reaches the command.
 *
 * <p>The launcher would rebuild {@code bakehouse.jar} with Maven when it is stale, which must not
 * happen inside {@code mvn test}; it honours {@code BAKEHOUSE_JAR}, so the tests hand it a
 * manifest-only jar whose {@code Main-Class} is the real CLI and whose {@code Class-Path} is this
 * test's class path: everything after the script is what {@code java -jar bakehouse.jar} runs.
 */
class LauncherScriptTest {
    private static Path launcher;
    private static Path jar;

    @TempDir
    static Path jarDir;

    @TempDir
    Path dir;

    private record Result(int exitCode, String out, String err) {}

    @BeforeAll
    static void launcherAndJar() throws IOException {
        launcher = projectRoot().resolve("bakehouse");
        jar = classPathJar(jarDir.resolve("bakehouse-test.jar"));
    }

    @Test
    void forward_deviceCpu_runsTheCheckpointOnCpu() throws Exception {
        Path output = dir.resolve("out.safetensors");
        Path cases = Fixtures.file("sd15-tiny/cases.safetensors");
        Result result = launch("forward", "--device", "cpu", "--checkpoint", Fixtures.file("sd15-tiny/tiny.safetensors").toString(),
                "--config", Fixtures.file("sd15-tiny/config.json").toString(), "--inputs", cases.toString(),
                "--output", output.toString());
        assertEquals(0, result.exitCode(), result.err());
        assertTrue(result.out().contains("wrote ") && result.out().contains(output.toString()), result.out());
        try (SafetensorsFile got = SafetensorsFile.open(output); SafetensorsFile expected = SafetensorsFile.open(cases)) {
            ForwardCommandTest.assertMatches(got, "eps", expected, "eps");
        }
    }

    @Test
    void forward_deviceCuda0_withoutAGpu_saysNoCudaDevice_beforeLoadingAnything() throws Exception {
        assumeTrue(CudaUtils.getGpuCount() == 0, "this machine has a CUDA GPU");
        // Either place: the launcher takes --device out wherever it stands.
        for (List<String> args : List.of(
                List.of("forward", "--device", "cuda:0"),
                List.of("--device=cuda:0", "forward"))) {
            List<String> all = new ArrayList<>(args);
            all.addAll(List.of("--checkpoint", dir.resolve("absent.safetensors").toString(),
                    "--inputs", dir.resolve("absent-inputs.safetensors").toString(),
                    "--output", dir.resolve("out.safetensors").toString()));
            Result result = launch(all.toArray(String[]::new));
            assertEquals(BakehouseCommand.DEVICE_UNAVAILABLE, result.exitCode(), args + ": " + result.err());
            assertTrue(result.err().contains("bakehouse forward: --device cuda:0: no CUDA device 0"), result.err());
            assertFalse(result.err().contains("absent.safetensors"), "the device is checked before the checkpoint: "
                    + result.err());
        }
    }

    @Test
    void unknownDevice_isRefusedByTheLauncher() throws Exception {
        Result result = launch("forward", "--device", "tpu", "--help");
        assertEquals(2, result.exitCode());
        assertTrue(result.err().contains("bakehouse: --device must be cpu, cuda or cuda:N, was 'tpu'"), result.err());
    }

    private static Result launch(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bash", launcher.toString()));
        command.addAll(Arrays.asList(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("BAKEHOUSE_JAR", jar.toString());
        Path out = Files.createTempFile(jarDir, "launcher", ".out");
        Path err = Files.createTempFile(jarDir, "launcher", ".err");
        Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("launcher still running after 120 s: " + command + "\n" + Files.readString(err));
        }
        return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    /** The checkout's root: the first folder above the working directory holding the launcher. */
    private static Path projectRoot() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("bakehouse")) && Files.isRegularFile(p.resolve("pom.xml"))) {
                return p;
            }
        }
        throw new AssertionError("no ./bakehouse launcher above " + Path.of("").toAbsolutePath());
    }

    /** A jar holding only a manifest: the real CLI as Main-Class, this JVM's class path as Class-Path. */
    private static Path classPathJar(Path target) throws IOException {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.put(Attributes.Name.MAIN_CLASS, BakehouseCommand.class.getName());
        main.put(Attributes.Name.CLASS_PATH, Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                .filter(entry -> !entry.isBlank())
                .map(entry -> Path.of(entry).toAbsolutePath().toUri().toString()) // folders get their trailing '/'
                .collect(Collectors.joining(" ")));
        try (OutputStream file = Files.newOutputStream(target); JarOutputStream jarOut = new JarOutputStream(file, manifest)) {
            jarOut.flush();
        }
        return target;
    }
}
