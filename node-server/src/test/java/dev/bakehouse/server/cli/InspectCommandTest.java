package dev.bakehouse.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bakehouse.tensor.DType;
import dev.bakehouse.testing.CkptWriter;
import dev.bakehouse.testing.Fixtures;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class InspectCommandTest {

    @TempDir
    Path dir;

    private record Run(int exit, String out, String err) {
        List<String> lines() {
            return out.lines().toList();
        }
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = new CommandLine(new InspectCommand());
        cmd.setOut(new PrintWriter(out));
        cmd.setErr(new PrintWriter(err));
        int exit = cmd.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void tinyCheckpoint_printsCountsAndArchitecture() {
        Run r = run(Fixtures.file("sd15-tiny/tiny.safetensors").toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.lines().contains("tensors: 971"), r.out());
        assertTrue(r.lines().contains("parameters: 10269035"), r.out());
        assertTrue(r.lines().contains("dtypes: F32 970, I64 1"), r.out());
        assertTrue(r.out().contains("architecture: SD1.x (custom size: model_channels 32"), r.out());
        assertTrue(r.out().contains("unet: 686 tensors"), r.out());
    }

    @Test
    void kohyaLora_printsNetworkBlocksAndTrainingSettings() {
        Run r = run(Fixtures.file("sd15-tiny/lora.safetensors").toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.lines().contains("tensors: 870"), r.out());
        assertTrue(r.out().contains("architecture: LoRA, 290 modules {LORA=290}"), r.out());
        assertTrue(r.out().contains("network: module networks.lora, dim 4, alpha 2.0, args {\"conv_dim\": \"4\", \"conv_alpha\": \"2\"}"), r.out());
        assertTrue(r.out().contains("base model: sd_v1"), r.out());
        assertTrue(r.lines().stream().anyMatch(l -> l.matches("\\s+BASE\\s+12 modules\\s+rank \\[4]\\s+alpha \\[2.0]")), r.out());
        assertTrue(r.lines().stream().anyMatch(l -> l.matches("\\s+IN03\\s+1 modules.*")), r.out());
        assertTrue(r.out().contains("ss_optimizer: torch.optim.adamw.AdamW"), r.out());
    }

    @Test
    void ckptFile_isInspectedToo() throws Exception {
        Path f = dir.resolve("model.ckpt");
        new CkptWriter().scalar("global_step", 10).nestInStateDict()
                .tensor("model.diffusion_model.out.2.weight", DType.F16, new long[] {2, 2}, new byte[8])
                .writeZip(f, false);
        Run r = run(f.toString(), "--keys");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.lines().contains("format: ckpt"), r.out());
        assertTrue(r.lines().contains("tensors: 1"), r.out());
        assertTrue(r.out().contains("architecture: unrecognised"), r.out());
        assertTrue(r.out().contains("global_step: 10"), r.out());
        assertTrue(r.out().contains("model.diffusion_model.out.2.weight\tF16\t[2, 2]"), r.out());
    }

    @Test
    void unreadableFile_exitsOneNamingTheProblem() throws Exception {
        Path f = dir.resolve("broken.safetensors");
        Files.write(f, new byte[] {1, 2, 3});
        Run r = run(f.toString());
        assertEquals(InspectCommand.UNREADABLE, r.exit());
        assertTrue(r.err().contains("broken.safetensors") && r.err().contains("too short"), r.err());
    }
}
