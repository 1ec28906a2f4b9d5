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
        assertEquals(4, seen.get(0).networkArgs().network().convDim());
        assertTrue(r.err().contains("note: --xformers ignored"), r.err());
    }

    /** For tests that must stop before training. */
    private static final TrainNetworkLauncher MUST_NOT_TRAIN = (args, out, err) -> {
        throw new AssertionError("the command should have stopped before training");
    };

    @Test
    void kohyaCommandLine_trainsTheTinyModel_andPrintsWhereTheFilesAre() throws Exception {
        Path data = dev.bakehouse.testing.TinyDataDir.populate(dir.resolve("data"));
        Path images = dir.resolve("img/3_ring");
        Files.createDirectories(images);
        for (int i = 0; i < 2; i++) {
            java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(64, 64, java.awt.image.BufferedImage.TYPE_INT_RGB);
            java.awt.Graphics2D g = img.createGraphics();
            g.setColor(java.awt.Color.RED);
            g.fillOval(8 + 8 * i, 8, 40, 40);
            g.dispose();
            javax.imageio.ImageIO.write(img, "png", images.resolve("a" + i + ".png").toFile());
            Files.writeString(images.resolve("a" + i + ".txt"), "red ring");
        }
        Path outDir = dir.resolve("out");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new BakehouseCommand());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute("train_network", "--data-dir", data.toString(), "--clip-tokenizer",
                dev.bakehouse.testing.Fixtures.file("clip-tokenizer").toString(),
                "--pretrained_model_name_or_path=" + dev.bakehouse.testing.TinyDataDir.CHECKPOINT,
                "--train_data_dir=" + dir.resolve("img"), "--output_dir=" + outDir, "--output_name=ring",
                "--resolution=64", "--caption_extension=.txt", "--network_dim=4", "--network_alpha=1",
                "--learning_rate=1e-3", "--max_train_steps=3", "--train_batch_size=2", "--seed=5", "--xformers",
                "--save_model_as=safetensors", "--mixed_precision=fp16");
        assertEquals(0, code, err.toString());
        assertTrue(err.toString().contains("note: --xformers ignored"), err.toString());
        assertTrue(err.toString().contains("2 train images with repeats") || err.toString().contains("6"), err.toString());
        assertTrue(out.toString().contains(outDir.resolve("ring.safetensors").toString()), out.toString());
        assertTrue(Files.isRegularFile(outDir.resolve("ring.safetensors")));
        assertTrue(Files.isRegularFile(outDir.resolve("ring.csv")));
    }

    @Test
    void unknownOption_failsLikeArgparse() {
        Result r = run(MUST_NOT_TRAIN, "train_network", "--foo");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("bakehouse train_network: error: unrecognized arguments: --foo"), r.err());
        Result missing = run(MUST_NOT_TRAIN, "train_network", "--data-dir", dir.toString(),
                "--pretrained_model_name_or_path", "nothing.safetensors", "--train_data_dir", "img");
        assertEquals(2, missing.exitCode());
        assertTrue(missing.err().contains("--pretrained_model_name_or_path nothing.safetensors: no such file"), missing.err());
    }

    @Test
    void help_listsKohyaOptionsByGroup() {
        Result r = run(MUST_NOT_TRAIN, "train_network", "--help");
        assertEquals(0, r.exitCode());
        for (String expected : new String[] {"Network:", "Optimizer:", "--network_dim V", "--network_args [V ...]",
                "--xformers", "[ignored:", "--v2", "[refused:", "(default 1600)"}) {
            assertTrue(r.out().contains(expected), expected);
        }
    }
}
