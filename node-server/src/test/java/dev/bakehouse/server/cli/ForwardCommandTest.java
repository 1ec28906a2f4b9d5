package dev.bakehouse.server.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bakehouse.tensor.DType;
import dev.bakehouse.tensor.SafetensorsFile;
import dev.bakehouse.tensor.SafetensorsWriter;
import dev.bakehouse.testing.Fixtures;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ForwardCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = new CommandLine(new ForwardCommand());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void forward_fixtureInputs_reproducesEveryReferenceOutput(@TempDir Path dir) throws Exception {
        Path output = dir.resolve("out.safetensors");
        Path cases = Fixtures.file("sd15-tiny/cases.safetensors");
        int code = run("--checkpoint", Fixtures.file("sd15-tiny/tiny.safetensors").toString(),
                "--config", Fixtures.file("sd15-tiny/config.json").toString(),
                "--inputs", cases.toString(), "--output", output.toString());
        assertEquals(0, code, err.toString());
        try (SafetensorsFile got = SafetensorsFile.open(output); SafetensorsFile expected = SafetensorsFile.open(cases)) {
            assertEquals(List.of("eps", "text_last", "text_pooled", "text_penultimate_ln", "vae_decoded", "vae_logvar", "vae_mean")
                    .stream().sorted().toList(), got.names());
            for (String name : got.names()) {
                assertEquals(DType.F32, got.info(name).dtype(), name);
                assertMatches(got, name, expected, name);
            }
        }
    }

    @Test
    void forward_withLoraAndBlockWeights_reproducesLoraReferences(@TempDir Path dir) throws Exception {
        Path lora = Fixtures.file("sd15-tiny/lora.safetensors");
        Path full = dir.resolve("lora.safetensors");
        Path lbw = dir.resolve("lbw.safetensors");
        String[] common = {"--checkpoint", Fixtures.file("sd15-tiny/tiny.safetensors").toString(),
                "--config", Fixtures.file("sd15-tiny/config.json").toString(),
                "--inputs", Fixtures.file("sd15-tiny/cases.safetensors").toString(), "--lora", lora.toString()};
        assertEquals(0, run(concat(common, "--output", full.toString(), "--lora-strength", "1")), err.toString());
        assertEquals(0, run(concat(common, "--output", lbw.toString(),
                "--lbw", "0.8,1.0,0.5,0.0,0.25,1.0,0.75,0.6,1.0,0.3,0.0,0.9,0.5,1.0,0.4,0.7,0.2")), err.toString());
        try (SafetensorsFile expected = SafetensorsFile.open(Fixtures.file("sd15-tiny/lora-cases.safetensors"));
                SafetensorsFile gotFull = SafetensorsFile.open(full);
                SafetensorsFile gotLbw = SafetensorsFile.open(lbw)) {
            assertMatches(gotFull, "eps", expected, "lora_eps");
            assertMatches(gotFull, "text_last", expected, "lora_text_last");
            assertMatches(gotFull, "text_penultimate_ln", expected, "lora_text_penultimate_ln");
            assertMatches(gotLbw, "eps", expected, "lbw_eps");
            assertMatches(gotLbw, "text_last", expected, "lbw_text_last");
        }
    }

    @Test
    void forward_sdxlFixtureInputs_writesEveryOutputUnderTheReferenceNames(@TempDir Path dir) throws Exception {
        Path output = dir.resolve("out.safetensors");
        Path cases = Fixtures.file("sdxl-tiny/cases.safetensors");
        int code = run("--checkpoint", Fixtures.file("sdxl-tiny/tiny.safetensors").toString(),
                "--config", Fixtures.file("sdxl-tiny/config.json").toString(),
                "--inputs", cases.toString(), "--output", output.toString());
        assertEquals(0, code, err.toString());
        try (SafetensorsFile got = SafetensorsFile.open(output); SafetensorsFile expected = SafetensorsFile.open(cases)) {
            java.util.Set<String> inputs = java.util.Set.of("context", "crop_coords_top_left", "latents", "original_size",
                    "target_size", "te1_eos_index", "te1_ids", "te2_eos_index", "te2_ids", "te2_ids_padeos", "timesteps",
                    "vae_unet_latent", "vae_x", "vae_z", "y");
            // every reference output but the UNet's internal trace
            List<String> outputs = expected.names().stream().filter(n -> !inputs.contains(n) && !n.startsWith("unet_trace."))
                    .sorted().toList();
            assertEquals(outputs, got.names());
            for (String name : got.names()) {
                assertMatches(got, name, expected, name);
            }
        }
    }

    @Test
    void forward_sdxlWithLoraAnd12ValueBlockWeights_reproducesLoraReferences(@TempDir Path dir) throws Exception {
        Path full = dir.resolve("lora.safetensors");
        Path lbw = dir.resolve("lbw.safetensors");
        String[] common = {"--checkpoint", Fixtures.file("sdxl-tiny/tiny.safetensors").toString(),
                "--config", Fixtures.file("sdxl-tiny/config.json").toString(),
                "--inputs", Fixtures.file("sdxl-tiny/cases.safetensors").toString(),
                "--lora", Fixtures.file("sdxl-tiny/lora.safetensors").toString()};
        assertEquals(0, run(concat(common, "--output", full.toString())), err.toString());
        assertEquals(0, run(concat(common, "--output", lbw.toString(),
                "--lbw", "0.8,1.0,0.5,0.0,0.25,0.6,1.0,0.3,0.0,0.9,0.5,0.7")), err.toString());
        try (SafetensorsFile expected = SafetensorsFile.open(Fixtures.file("sdxl-tiny/lora-cases.safetensors"));
                SafetensorsFile gotFull = SafetensorsFile.open(full);
                SafetensorsFile gotLbw = SafetensorsFile.open(lbw)) {
            for (String name : List.of("eps", "eps_from_text", "te1_sdxl", "te2_penultimate", "te2_pooled", "text_context", "text_y")) {
                assertMatches(gotFull, name, expected, "lora_" + name);
            }
            for (String name : List.of("eps", "eps_from_text", "text_context", "text_y")) {
                assertMatches(gotLbw, name, expected, "lbw12_" + name);
            }
        }
    }

    @Test
    void forward_sdxlUnetWithoutY_namesTheMissingInput(@TempDir Path dir) throws Exception {
        Path inputs = dir.resolve("in.safetensors");
        new SafetensorsWriter()
                .addFloats("latents", DType.F32, new long[] {1, 4, 8, 8}, new float[256])
                .addFloats("timesteps", DType.F32, new long[] {1}, new float[] {500})
                .addFloats("context", DType.F32, new long[] {1, 77, 32}, new float[77 * 32])
                .write(inputs);
        Path output = dir.resolve("out.safetensors");
        int code = run("--checkpoint", Fixtures.file("sdxl-tiny/tiny.safetensors").toString(),
                "--config", Fixtures.file("sdxl-tiny/config.json").toString(),
                "--inputs", inputs.toString(), "--output", output.toString());
        assertEquals(ForwardCommand.BAD_INPUT, code);
        assertTrue(err.toString().contains("missing input 'y'"), err.toString());
        assertFalse(Files.exists(output), "nothing is written when an input is missing");
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** The fixture rule: max|a-b| <= 1e-4 max|b| + 1e-5 over the whole tensor. */
    static void assertMatches(SafetensorsFile got, String name, SafetensorsFile expected, String expectedName)
            throws Exception {
        assertArrayEquals(expected.info(expectedName).shape(), got.info(name).shape(), name);
        float[] a = got.readFloats(name);
        float[] b = expected.readFloats(expectedName);
        double maxErr = 0;
        double maxRef = 0;
        for (int i = 0; i < a.length; i++) {
            maxErr = Math.max(maxErr, Math.abs(a[i] - b[i]));
            maxRef = Math.max(maxRef, Math.abs(b[i]));
        }
        assertTrue(maxErr <= 1e-4 * maxRef + 1e-5, name + " vs " + expectedName + ": max abs error " + maxErr);
    }

    @Test
    void forward_unetGroupWithoutContext_namesTheMissingInput(@TempDir Path dir) throws Exception {
        Path inputs = dir.resolve("in.safetensors");
        new SafetensorsWriter()
                .addFloats("latents", DType.F32, new long[] {1, 4, 8, 8}, new float[256])
                .addFloats("timesteps", DType.F32, new long[] {1}, new float[] {500})
                .write(inputs);
        Path output = dir.resolve("out.safetensors");
        int code = run("--checkpoint", Fixtures.file("sd15-tiny/tiny.safetensors").toString(),
                "--config", Fixtures.file("sd15-tiny/config.json").toString(),
                "--inputs", inputs.toString(), "--output", output.toString());
        assertEquals(ForwardCommand.BAD_INPUT, code);
        assertTrue(err.toString().contains("missing input 'context'"), err.toString());
        assertFalse(Files.exists(output), "nothing is written when an input is missing");
    }

    @Test
    void forward_tinyCheckpointWithoutConfig_asksForOne(@TempDir Path dir) {
        int code = run("--checkpoint", Fixtures.file("sd15-tiny/tiny.safetensors").toString(),
                "--inputs", Fixtures.file("sd15-tiny/cases.safetensors").toString(),
                "--output", dir.resolve("out.safetensors").toString());
        assertEquals(ForwardCommand.BAD_INPUT, code);
        assertTrue(err.toString().contains("pass a config file"), err.toString());
    }
}
