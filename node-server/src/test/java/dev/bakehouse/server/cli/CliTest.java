package dev.bakehouse.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.util.cuda.CudaUtils;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CliTest {
    @TempDir
    Path dir;

    private record Result(int exitCode, String out, String err) {}

    private static Result bakehouse(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = BakehouseCommand.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    private Path dataDirWithImage() throws Exception {
        Path data = dir.resolve("data");
        Files.createDirectories(data.resolve("input"));
        ImageIO.write(new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB), "png", data.resolve("input/in.png").toFile());
        return data;
    }

    private static String loadAndSave(String prefix) {
        return """
                {"1": {"class_type": "LoadImage", "inputs": {"image": "in.png"}},
                 "2": {"class_type": "SaveImage", "inputs": {"images": ["1", 0], "filename_prefix": "%s"}}}
                """.formatted(prefix);
    }

    @Test
    void everyCommand_hasHelp() {
        for (String[] args : new String[][] {{"--help"}, {"serve", "--help"}, {"run", "--help"}, {"nodes", "--help"},
                {"inspect", "--help"}, {"forward", "--help"}, {"extract_lora_from_models", "--help"},
                {"merge_lora", "--help"}, {"svd_merge_lora", "--help"}, {"resize_lora", "--help"},
                {"lbw-analyze", "--help"}}) {
            Result result = bakehouse(args);
            assertEquals(0, result.exitCode(), String.join(" ", args));
            assertTrue(result.out().contains("Usage:"), result.out());
        }
        String serveHelp = bakehouse("serve", "--help").out();
        for (String option : new String[] {"--port", "--listen", "--data-dir", "--auth-token", "--extra-model-dir", "--device",
                "--preview-method"}) {
            assertTrue(serveHelp.contains(option), option);
        }
    }

    @Test
    void run_bareWorkflow_writesOutputsAndListsThem() throws Exception {
        Path data = dataDirWithImage();
        Path workflow = Files.writeString(dir.resolve("w.json"), loadAndSave("cli"));
        Result result = bakehouse("run", workflow.toString(), "--data-dir", data.toString());
        assertEquals(0, result.exitCode(), result.err());
        assertTrue(Files.isRegularFile(data.resolve("output/cli_00001_.png")));
        assertTrue(result.out().contains("output/cli_00001_.png"), result.out());
        assertTrue(result.err().contains("node 2 (SaveImage)"), result.err());
    }

    @Test
    void run_promptBodyForm_isAcceptedToo() throws Exception {
        Path data = dataDirWithImage();
        Path workflow = Files.writeString(dir.resolve("body.json"),
                "{\"prompt\": " + loadAndSave("body") + ", \"client_id\": \"x\"}");
        Result result = bakehouse("run", workflow.toString(), "--data-dir", data.toString());
        assertEquals(0, result.exitCode(), result.err());
        assertTrue(Files.isRegularFile(data.resolve("output/body_00001_.png")));
    }

    @Test
    void run_failingNode_exitsNonZeroNamingTheNode() throws Exception {
        Path data = dataDirWithImage();
        Path workflow = Files.writeString(dir.resolve("bad.json"), loadAndSave("../../escape"));
        Result result = bakehouse("run", workflow.toString(), "--data-dir", data.toString());
        assertEquals(RunCommand.NODE_FAILED, result.exitCode(), result.err());
        assertTrue(result.err().contains("node 2 (SaveImage) failed"), result.err());
    }

    @Test
    void run_invalidWorkflow_exitsWithTheValidationErrors() throws Exception {
        Path data = dataDirWithImage();
        Path workflow = Files.writeString(dir.resolve("invalid.json"),
                "{\"1\": {\"class_type\": \"NoSuchNode\", \"inputs\": {}}}");
        Result result = bakehouse("run", workflow.toString(), "--data-dir", data.toString());
        assertEquals(RunCommand.REJECTED, result.exitCode());
        assertTrue(result.err().contains("invalid_prompt"), result.err());
        Path notJson = Files.writeString(dir.resolve("broken.json"), "{");
        assertEquals(RunCommand.REJECTED, bakehouse("run", notJson.toString(), "--data-dir", data.toString()).exitCode());
    }

    @Test
    void nodes_listsEveryRegisteredTypeAsMarkdown() {
        Result result = bakehouse("nodes", "--data-dir", dir.resolve("data").toString());
        assertEquals(0, result.exitCode(), result.err());
        assertTrue(result.out().startsWith("| class_type |"), result.out());
        assertTrue(result.out().contains("| `SaveImage` | image | images: IMAGE, filename_prefix: STRING | – | yes |"),
                result.out());
        assertTrue(result.out().contains("`LoadImage`"));
    }

    @Test
    void previewMethod_takesComfyUIsNamesOnly() {
        Result result = bakehouse("serve", "--preview-method", "LATENT2RGB", "--port", "1");
        assertEquals(2, result.exitCode());
        assertTrue(result.err().contains("unknown preview method 'LATENT2RGB', expected one of none, auto, latent2rgb, taesd"),
                result.err());
    }

    @Test
    void device_otherThanCpuOrCuda_isAUsageError() {
        Result result = bakehouse("run", "x.json", "--device", "tpu");
        assertEquals(2, result.exitCode());
        assertTrue(result.err().contains("--device must be cpu, cuda or cuda:N, was 'tpu'"), result.err());
        Result forward = bakehouse("forward", "--device", "cuda:x", "--checkpoint", "a", "--inputs", "b", "--output", "c");
        assertEquals(2, forward.exitCode());
        assertTrue(forward.err().contains("--device must be cpu, cuda or cuda:N, was 'cuda:x'"), forward.err());
    }

    @Test
    void run_deviceCuda_withoutAGpu_failsNamingTheDevice_notWithAStackTrace() throws Exception {
        assumeTrue(CudaUtils.getGpuCount() == 0, "this machine has a CUDA GPU");
        Path workflow = Files.writeString(dir.resolve("w.json"), loadAndSave("gpu"));
        Result result = bakehouse("run", workflow.toString(), "--device", "cuda", "--data-dir", dataDirWithImage().toString());
        assertEquals(BakehouseCommand.DEVICE_UNAVAILABLE, result.exitCode(), result.err());
        assertTrue(result.err().startsWith("bakehouse run: --device cuda:0: no CUDA device 0 on this machine"), result.err());
    }

    @Test
    void progressBar_drawsProportionally() {
        assertEquals("[###############...............] 10/20", ProgressPrinter.bar(10, 20));
        assertEquals("[" + "#".repeat(30) + "] 0/0", ProgressPrinter.bar(0, 0), "nothing to do is complete");
        assertEquals("[" + "#".repeat(30) + "] 25/20", ProgressPrinter.bar(25, 20), "overshoot is clamped");
    }

    @Test
    void lbwAnalyze_printsTheBlockTable_andWritesItsFiles(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path data = dev.bakehouse.testing.TinyDataDir.populate(dir);
        Result result = bakehouse("lbw-analyze", "--data-dir", data.toString(), "--clip-tokenizer",
                dev.bakehouse.testing.Fixtures.file("clip-tokenizer").toString(),
                "--checkpoint", dev.bakehouse.testing.TinyDataDir.CHECKPOINT, "--lora", dev.bakehouse.testing.TinyDataDir.LORA,
                "--prompt", "a red ring", "--width", "64", "--height", "64", "--steps", "2", "--prefix", "lbw/tiny");
        assertEquals(0, result.exitCode(), result.err());
        assertTrue(result.out().contains("carried by:"), result.out());
        try (var files = java.nio.file.Files.list(data.resolve("output/lbw"))) {
            assertTrue(files.anyMatch(f -> f.toString().endsWith(".csv")));
        }
    }
}
