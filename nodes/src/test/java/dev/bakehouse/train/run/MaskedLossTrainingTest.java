package dev.bakehouse.train.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bakehouse.train.config.ArgError;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** kohya's masked loss through the whole trainer: both mask forms, cached latents, bad masks. */
class MaskedLossTrainingTest extends TinyRunTest {

    private List<Double> run(String name, String... options) {
        List<Double> losses = new ArrayList<>();
        TrainingListener listener = new TrainingListener() {
            @Override
            public void message(String line) {}

            @Override
            public void step(long step, long maxSteps, StepReport report) {
                losses.add(report.loss());
            }
        };
        List<String> all = new ArrayList<>(List.of("--max_train_steps=2", "--network_train_unet_only"));
        all.addAll(List.of(options));
        tiny.train(TinyTrainingRun.args(data, out.resolve(name), all.toArray(String[]::new)), listener, null);
        return losses;
    }

    private static Path masks(Path dir, int rgb) throws Exception {
        Files.createDirectories(dir);
        for (int i = 0; i < 2; i++) {
            BufferedImage m = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < 64; y++) {
                for (int x = 0; x < 64; x++) {
                    m.setRGB(x, y, rgb);
                }
            }
            ImageIO.write(m, "png", dir.resolve(String.format("img_%02d.png", i)).toFile());
        }
        return dir;
    }

    @Test
    void opaqueAlphaAndWhiteMasks_equalThePlainLoss_andBlackMasksLeaveNothingToLearn() throws Exception {
        List<Double> plain = run("plain");
        assertEquals(plain, run("alpha", "--alpha_mask"), "an opaque image's alpha masks nothing");
        Path white = masks(out.resolve("white"), 0xffffff);
        assertEquals(plain, run("white", "--masked_loss", "--conditioning_data_dir=" + white));
        Path black = masks(out.resolve("black"), 0x000000);
        assertEquals(List.of(0.0, 0.0), run("black", "--masked_loss", "--conditioning_data_dir=" + black));
        assertEquals(List.of(0.0, 0.0), run("black-cached", "--masked_loss", "--conditioning_data_dir=" + black,
                "--cache_latents"), "cached latents keep their masks");
    }

    @Test
    void missingMask_isOneClearErrorBeforeTraining_andMaskedLossWithoutMasksIsRefused() throws Exception {
        Path partial = masks(out.resolve("partial"), 0xffffff);
        Files.delete(partial.resolve("img_01.png"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> run("partial", "--masked_loss", "--conditioning_data_dir=" + partial));
        assertTrue(e.getMessage().contains("img_01.png") && e.getMessage().contains("no mask named img_01.*"), e.getMessage());
        ArgError refused = assertThrows(ArgError.class, () -> TinyTrainingRun.args(data, out, "--masked_loss"));
        assertTrue(refused.getMessage().contains("--conditioning_data_dir"), refused.getMessage());
    }
}
