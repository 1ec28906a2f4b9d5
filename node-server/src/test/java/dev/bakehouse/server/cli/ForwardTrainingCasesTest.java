package dev.bakehouse.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bakehouse.tensor.SafetensorsFile;
import dev.bakehouse.testing.Fixtures;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code bakehouse forward} on training inputs: kohya's training step for every case of
 * sd15-tiny/train-cases.md and train-options.md, losses and directional derivatives compared with
 * the fixtures at the tolerances the two documents state.
 */
class ForwardTrainingCasesTest {
    private static final List<String> TRAIN_CASES = List.of("no_lora", "l2", "min_snr", "noise_offset", "v_pred",
            "v_pred_min_snr", "te_lora");
    private static final List<String> OPTION_CASES = List.of("adaptive_noise", "adaptive_noise_neg", "clip_skip2",
            "clip_skip2_te_lora", "huber_constant", "huber_exponential", "huber_exponential_scale2", "huber_snr",
            "huber_snr_min_snr", "huber_snr_scale2", "ip_noise_gamma", "l1", "long150", "long150_te_lora", "long225",
            "long225_clip_skip2", "long225_te_lora", "multires", "noise_offset_multires", "prior_loss_weight",
            "prior_loss_weight_min_snr", "smooth_l1_constant", "smooth_l1_exponential", "smooth_l1_snr");
    private static final List<String> TE_CASES = List.of("te_lora", "clip_skip2_te_lora", "long150_te_lora", "long225_te_lora");

    @TempDir
    static Path dir;
    private static Path casesOut;
    private static Path optionsOut;
    private static String casesLog;

    @BeforeAll
    static void runForward() {
        casesOut = dir.resolve("train-cases-out.safetensors");
        optionsOut = dir.resolve("train-options-out.safetensors");
        StringWriter out = new StringWriter();
        assertEquals(0, run(out, "--inputs", Fixtures.file("sd15-tiny/train-cases.safetensors").toString(),
                "--output", casesOut.toString()), out.toString());
        casesLog = out.toString();
        StringWriter out2 = new StringWriter();
        assertEquals(0, run(out2, "--inputs", Fixtures.file("sd15-tiny/train-options.safetensors").toString(),
                "--directions", Fixtures.file("sd15-tiny/train-cases.safetensors").toString(),
                "--output", optionsOut.toString()), out2.toString());
    }

    private static int run(StringWriter out, String... extra) {
        CommandLine cli = new CommandLine(new ForwardCommand());
        PrintWriter writer = new PrintWriter(out, true);
        cli.setOut(writer);
        cli.setErr(writer);
        String[] common = {"--checkpoint", Fixtures.file("sd15-tiny/tiny.safetensors").toString(),
                "--config", Fixtures.file("sd15-tiny/config.json").toString(),
                "--lora", Fixtures.file("sd15-tiny/lora.safetensors").toString()};
        String[] args = java.util.Arrays.copyOf(common, common.length + extra.length);
        System.arraycopy(extra, 0, args, common.length, extra.length);
        return cli.execute(args);
    }

    @Test
    void trainCasesInputs_writeEveryTrainCaseAndSkipOnlyCasesWhoseDrawsAreMissing() throws Exception {
        try (SafetensorsFile got = SafetensorsFile.open(casesOut)) {
            TreeSet<String> expected = new TreeSet<>();
            for (String c : TRAIN_CASES) {
                expected.add("loss." + c);
                expected.add("loss_per_sample." + c);
                if (!c.equals("no_lora")) {
                    expected.add("dd." + c);
                }
            }
            expected.addAll(List.of("dd.te_lora_unet_part", "dd.te_lora_te_part"));
            TreeSet<String> written = new TreeSet<>(got.names());
            assertTrue(written.containsAll(expected), () -> "missing " + expected.stream().filter(n -> !written.contains(n)).toList());
            // options computed from the train-cases draws alone (huber, adaptive noise, clip_skip) are written too
            assertTrue(written.contains("dd.huber_snr") && written.contains("dd.clip_skip2_te_lora_te_part"), written::toString);
        }
        for (String skipped : List.of("multires (no multires.r, multires.draw0)", "ip_noise_gamma (no ip_noise.draw)",
                "long150 (no long150.ids)", "long225_te_lora (no long225.ids)", "prior_loss_weight (no loss_weights)")) {
            assertTrue(casesLog.contains("skipped case " + skipped), casesLog);
        }
        assertEquals(10, casesLog.lines().filter(l -> l.startsWith("skipped case ")).count(), casesLog);
    }

    @Test
    void trainCases_lossesMatchWithin1e4() throws Exception {
        try (SafetensorsFile got = SafetensorsFile.open(casesOut);
                SafetensorsFile expected = SafetensorsFile.open(Fixtures.file("sd15-tiny/train-cases.safetensors"))) {
            for (String c : TRAIN_CASES) {
                assertEachRel(got, expected, "loss." + c, 1e-4);
                assertEachRel(got, expected, "loss_per_sample." + c, 1e-4);
            }
        }
    }

    /** train-cases.md: |a-b| <= 1e-3 max|b| over the three directions of the same tensor. */
    @Test
    void trainCases_directionalDerivativesMatchWithin1e3OfTheTensorsScale() throws Exception {
        try (SafetensorsFile got = SafetensorsFile.open(casesOut);
                SafetensorsFile expected = SafetensorsFile.open(Fixtures.file("sd15-tiny/train-cases.safetensors"))) {
            for (String c : TRAIN_CASES.subList(1, TRAIN_CASES.size())) {
                assertDirections(got, expected, "dd." + c, 3, max(expected.readDoubles("dd." + c + "_f64")));
            }
            for (String part : List.of("dd.te_lora_unet_part", "dd.te_lora_te_part")) {
                assertDirections(got, expected, part, 3, max(expected.readDoubles(part + "_f64")));
            }
        }
    }

    @Test
    void trainOptions_lossesMatchWithin1e4() throws Exception {
        try (SafetensorsFile got = SafetensorsFile.open(optionsOut);
                SafetensorsFile expected = SafetensorsFile.open(Fixtures.file("sd15-tiny/train-options.safetensors"))) {
            for (String c : OPTION_CASES) {
                assertEachRel(got, expected, "loss." + c, 1e-4);
                assertEachRel(got, expected, "loss_per_sample." + c, 1e-4);
            }
        }
    }

    /**
     * train-options.md: dd along dir0 within 1e-3 S, S = max(|dd|, max_b |dd_per_sample[0, b]|) of
     * the case (the parts use the whole case's S); l1 has no derivative.
     */
    @Test
    void trainOptions_directionalDerivativesAlongDir0MatchWithin1e3OfTheCasesScale() throws Exception {
        try (SafetensorsFile got = SafetensorsFile.open(optionsOut);
                SafetensorsFile expected = SafetensorsFile.open(Fixtures.file("sd15-tiny/train-options.safetensors"))) {
            assertFalse(got.contains("dd.l1"), "l1 has no derivative");
            for (String c : OPTION_CASES) {
                if (c.equals("l1")) {
                    continue;
                }
                double scale = Math.max(Math.abs(expected.readDoubles("dd." + c + "_f64")[0]),
                        max(expected.readDoubles("dd_per_sample." + c + "_f64")));
                assertDirections(got, expected, "dd." + c, 1, scale);
                if (TE_CASES.contains(c)) {
                    assertDirections(got, expected, "dd." + c + "_unet_part", 1, scale);
                    assertDirections(got, expected, "dd." + c + "_te_part", 1, scale);
                }
            }
        }
    }

    @Test
    void trainingInputsWithoutLora_failNamingTheOption() {
        StringWriter out = new StringWriter();
        CommandLine cli = new CommandLine(new ForwardCommand());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(out, true));
        Path output = dir.resolve("none.safetensors");
        int code = cli.execute("--checkpoint", Fixtures.file("sd15-tiny/tiny.safetensors").toString(),
                "--config", Fixtures.file("sd15-tiny/config.json").toString(),
                "--inputs", Fixtures.file("sd15-tiny/train-cases.safetensors").toString(), "--output", output.toString());
        assertEquals(ForwardCommand.BAD_INPUT, code);
        assertTrue(out.toString().contains("training inputs need --lora"), out.toString());
        assertFalse(Files.exists(output));
    }

    private static void assertDirections(SafetensorsFile got, SafetensorsFile expected, String name, int count, double scale)
            throws Exception {
        float[] a = got.readFloats(name);
        double[] b = expected.readDoubles(name + "_f64");
        double worst = 0;
        for (int k = 0; k < count; k++) {
            double err = Math.abs(a[k] - b[k]);
            worst = Math.max(worst, err);
            int kk = k;
            assertTrue(err <= 1e-3 * scale, () -> name + "[" + kk + "]: " + a[kk] + " vs " + b[kk] + " (scale " + scale + ")");
        }
        System.out.printf("CONFORMANCE forward %s max_abs_err=%.3e scale=%.3e rel=%.2e (tol 1e-3)%n", name, worst, scale,
                worst / scale);
    }

    private static void assertEachRel(SafetensorsFile got, SafetensorsFile expected, String name, double tol) throws Exception {
        float[] a = got.readFloats(name);
        double[] b = expected.readDoubles(name + "_f64");
        assertEquals(b.length, a.length, name);
        double worst = 0;
        for (int i = 0; i < b.length; i++) {
            double rel = Math.abs(a[i] - b[i]) / Math.abs(b[i]);
            worst = Math.max(worst, rel);
            int ii = i;
            assertTrue(rel <= tol, () -> name + "[" + ii + "]: " + a[ii] + " vs " + b[ii]);
        }
        System.out.printf("CONFORMANCE forward %s max_rel_err=%.2e (tol %.0e)%n", name, worst, tol);
    }

    private static double max(double[] values) {
        double m = 0;
        for (double v : values) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }
}
