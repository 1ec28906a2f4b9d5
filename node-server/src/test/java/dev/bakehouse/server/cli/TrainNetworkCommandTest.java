package dev.bakehouse.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bakehouse.train.config.TrainNetworkArgs;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class TrainNetworkCommandTest {
    @TempDir
    Path dir;

    private record Result(int exitCode, String out, String err) {}

    private Result run(TrainNetworkLauncher launcher, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new BakehouseCommand(), new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> cls) throws Exception {
                return cls == TrainNetworkCommand.class ? cls.cast(new TrainNetworkCommand(launcher)) : CommandLine.defaultFactory().create(cls);
            }
        });
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return new Result(cli.execute(args), out.toString(), err.toString());
    }

    @Test
    void checkpointName_resolvesInDataDir_andArgsReachTheLauncher() throws Exception {
        Path data = dir.resolve("data");
        Path ckpt = data.resolve("models/checkpoints/base.safetensors");
        Files.createDirectories(ckpt.getParent());
        Files.writeString(ckpt, "x");
        List<TrainNetworkArgs> seen = new ArrayList<>();
        Result r = run((args, out, err) -> {
            seen.add(args);
            return 0;
        }, "train", "--data-dir", data.toString(), "--pretrained_model_name_or_path=base.safetensors", "--train_data_dir", "img",
                "--xformers", "--network_args", "conv_dim=4", "conv_alpha=1", "--network_dim=8");
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(ckpt.toString(), seen.get(0).model().pretrainedModelNameOrPath());
        assertEquals(8, seen.get(0).network().networkDim());
        assertEquals(4, seen.get(0).networkArgs().convDim().orElseThrow());
        assertTrue(r.err().contains("note: --xformers ignored"), r.err());
    }

    @Test
    void notWired_saysSoAndFails() throws Exception {
        Path ckpt = dir.resolve("m.safetensors");
        Files.writeString(ckpt, "x");
        Result r = run(TrainNetworkLauncher.NOT_WIRED, "train_network", "--pretrained_model_name_or_path", ckpt.toString(),
                "--train_data_dir", "img");
        assertEquals(1, r.exitCode());
        assertTrue(r.err().contains("training is not wired"), r.err());
    }

    @Test
    void unknownOption_failsLikeArgparse() {
        Result r = run(TrainNetworkLauncher.NOT_WIRED, "train_network", "--foo");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("bakehouse train_network: error: unrecognized arguments: --foo"), r.err());
        Result missing = run(TrainNetworkLauncher.NOT_WIRED, "train_network", "--data-dir", dir.toString(),
                "--pretrained_model_name_or_path", "nothing.safetensors", "--train_data_dir", "img");
        assertEquals(2, missing.exitCode());
        assertTrue(missing.err().contains("--pretrained_model_name_or_path nothing.safetensors: no such file"), missing.err());
    }

    @Test
    void help_listsKohyaOptionsByGroup() {
        Result r = run(TrainNetworkLauncher.NOT_WIRED, "train_network", "--help");
        assertEquals(0, r.exitCode());
        for (String expected : new String[] {"Network:", "Optimizer:", "--network_dim V", "--network_args [V ...]",
                "--xformers", "[ignored:", "--v2", "[refused:", "(default 1600)"}) {
            assertTrue(r.out().contains(expected), expected);
        }
    }
}
