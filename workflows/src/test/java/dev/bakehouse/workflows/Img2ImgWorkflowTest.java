package dev.bakehouse.workflows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bakehouse.node.DataDirs;
import dev.bakehouse.testing.TinyDataDir;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped {@code workflows/img2img.json} on the tiny model: LoadImage → VAEEncode → KSampler
 * at denoise 0.5 → VAEDecode → SaveImage. The less it denoises, the closer it stays to the
 * encoded candidate (denoise 0 is the candidate through the VAE).
 */
class Img2ImgWorkflowTest {
    @TempDir
    Path data;

    @Test
    void img2img_keepsTheCandidatesSize_lowerDenoiseStaysCloserToTheCandidate() throws Exception {
        TinyDataDir.populate(data);
        DataDirs dirs = DataDirs.of(data);
        BufferedImage candidate = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = candidate.createGraphics();
        g.setColor(new Color(30, 60, 200));
        g.fillRect(0, 0, 64, 64);
        g.setColor(new Color(220, 30, 30));
        g.fillOval(12, 12, 40, 40);
        g.dispose();
        ImageIO.write(candidate, "png", dirs.input().resolve("candidate.png").toFile());

        ObjectNode prompt = ShippedWorkflow.load("img2img.json");
        assertEquals(0.5, prompt.at("/3/inputs/denoise").asDouble());
        int[] shipped = run(dirs, prompt);
        int[] none = run(dirs, withDenoise(prompt, 0.0));
        int[] light = run(dirs, withDenoise(prompt, 0.25));
        int[] full = run(dirs, withDenoise(prompt, 1.0));
        assertEquals(64 * 64, shipped.length);
        double lightDistance = distance(light, none);
        double halfDistance = distance(shipped, none);
        double fullDistance = distance(full, none);
        assertTrue(lightDistance < fullDistance && halfDistance < fullDistance,
                "mean channel distance to the candidate through the VAE: denoise 0.25 " + lightDistance + ", 0.5 "
                        + halfDistance + ", 1.0 " + fullDistance);
        assertTrue(halfDistance > 0, "denoise 0.5 changed nothing");
    }

    private static int[] run(DataDirs dirs, ObjectNode prompt) {
        var ui = ShippedWorkflow.run(dirs, prompt).uiOutputs().get("9");
        return ShippedWorkflow.pixels(ShippedWorkflow.file(dirs, ui.at("/images/0")));
    }

    private static ObjectNode withDenoise(ObjectNode prompt, double denoise) {
        ObjectNode copy = prompt.deepCopy();
        ((ObjectNode) copy.at("/3/inputs")).put("denoise", denoise);
        ((ObjectNode) copy.at("/9/inputs")).put("filename_prefix", "img2img-" + denoise);
        return copy;
    }

    /** Mean absolute difference per RGB channel (0..255). */
    private static double distance(int[] a, int[] b) {
        long sum = 0;
        for (int i = 0; i < a.length; i++) {
            for (int shift = 0; shift <= 16; shift += 8) {
                sum += Math.abs((a[i] >> shift & 0xff) - (b[i] >> shift & 0xff));
            }
        }
        return sum / (3.0 * a.length);
    }
}
