package dev.bakehouse.train.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Masks from the alpha channel and from a mask folder, through crop, flip and kohya's area resize. */
class LossMasksTest {
    @TempDir
    Path dir;

    private static final Size S64 = new Size(64, 64);

    private static ImageEntry entry(Path file, Size image, Size bucket, Size resized) {
        return new ImageEntry(file, 0, false, 1, "kiki", null, image, new BucketAssignment(image, bucket, resized, 0, true));
    }

    /** 64x64: the left {@code leftColumns} columns get {@code left}, the rest {@code right} (ARGB). */
    private static BufferedImage halves(int type, int leftColumns, int left, int right) {
        return halves(type, 64, 64, leftColumns, left, right);
    }

    private static BufferedImage halves(int type, int width, int height, int leftColumns, int left, int right) {
        BufferedImage img = new BufferedImage(width, height, type);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                img.setRGB(x, y, x < leftColumns ? left : right);
            }
        }
        return img;
    }

    @Test
    void alphaChannel_transparentHalf_isZeroInTheLatentMask_andFlipMirrorsIt() throws Exception {
        Path png = dir.resolve("img_00.png");
        ImageIO.write(halves(BufferedImage.TYPE_INT_ARGB, 32, 0x00ff0000, 0xffff0000), "png", png.toFile());
        LossMasks masks = LossMasks.alphaChannel();
        ImageEntry e = entry(png, S64, S64, S64);
        float[] m = masks.latentMask(e, new Size(0, 0), false, 8, 8);
        float[] flipped = masks.latentMask(e, new Size(0, 0), true, 8, 8);
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 8; x++) {
                assertEquals(x < 4 ? 0f : 1f, m[y * 8 + x], 1e-6, "x " + x);
                assertEquals(x < 4 ? 1f : 0f, flipped[y * 8 + x], 1e-6, "flipped x " + x);
            }
        }
        // a 12-column edge does not fall on the 8-pixel grid: kohya's area resize averages the block
        Path edge = dir.resolve("edge.png");
        ImageIO.write(halves(BufferedImage.TYPE_INT_ARGB, 12, 0x00000000, 0xff000000), "png", edge.toFile());
        assertEquals(0.5f, masks.latentMask(entry(edge, S64, S64, S64), new Size(0, 0), false, 8, 8)[1], 1e-6);
    }

    @Test
    void alphaChannel_opaqueImage_masksNothing() throws Exception {
        Path jpg = dir.resolve("img.png");
        ImageIO.write(halves(BufferedImage.TYPE_INT_RGB, 32, 0x000000, 0xffffff), "png", jpg.toFile());
        float[] m = LossMasks.alphaChannel().latentMask(entry(jpg, S64, S64, S64), new Size(0, 0), false, 8, 8);
        for (float v : m) {
            assertEquals(1f, v, 0f);
        }
    }

    @Test
    void maskFolder_sameName_otherSize_isResized_andTheCropFollowsTheImage() throws Exception {
        Path train = Files.createDirectories(dir.resolve("train/5_kiki"));
        Path image = train.resolve("img_01.png");
        ImageIO.write(new BufferedImage(96, 64, BufferedImage.TYPE_INT_RGB), "png", image.toFile());
        Path maskDir = Files.createDirectories(dir.resolve("masks"));
        // a 48x32 mask (half the image's size): white (learn) on the right third, black elsewhere
        ImageIO.write(halves(BufferedImage.TYPE_INT_RGB, 48, 32, 32, Color.BLACK.getRGB(), Color.WHITE.getRGB()), "png",
                maskDir.resolve("img_01.png").toFile());
        LossMasks masks = LossMasks.maskFolder(maskDir);
        // the 96x64 image center-cropped into a 64x64 bucket: image columns 16..79
        ImageEntry e = entry(image, new Size(96, 64), S64, new Size(96, 64));
        masks.check(List.of(e));
        float[] m = masks.latentMask(e, new Size(16, 0), false, 8, 8);
        float[] row = new float[8];
        System.arraycopy(m, 3 * 8, row, 0, 8);
        // image columns >= 64 are white: bucket columns >= 48, latent columns >= 6 (the Lanczos
        // upscale of the half-size mask rings a little across the edge)
        assertArrayEquals(new float[] {0, 0, 0, 0, 0, 0, 1, 1}, row, 0.05f);
    }

    @Test
    void maskFolder_mirroredSubfolder_winsOverTheFlatName() throws Exception {
        Path train = Files.createDirectories(dir.resolve("train/5_kiki"));
        Path image = train.resolve("a.png");
        ImageIO.write(new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB), "png", image.toFile());
        Path maskDir = Files.createDirectories(dir.resolve("masks/5_kiki"));
        ImageIO.write(halves(BufferedImage.TYPE_INT_RGB, 64, 0xffffff, 0xffffff), "png", maskDir.resolve("a.png").toFile());
        ImageIO.write(new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB), "png", dir.resolve("masks/a.png").toFile());
        float[] m = LossMasks.maskFolder(dir.resolve("masks")).latentMask(entry(image, S64, S64, S64), new Size(0, 0), false,
                8, 8);
        assertEquals(1f, m[0], 0f);
    }

    @Test
    void missingAndUnreadableMasks_areOneErrorNamingEach() throws Exception {
        Path maskDir = Files.createDirectories(dir.resolve("masks"));
        Path a = dir.resolve("a.png");
        Path b = dir.resolve("b.png");
        ImageIO.write(new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB), "png", a.toFile());
        ImageIO.write(new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB), "png", b.toFile());
        Files.writeString(maskDir.resolve("b.png"), "not a png");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LossMasks.maskFolder(maskDir)
                .check(List.of(entry(a, S64, S64, S64), entry(b, S64, S64, S64))));
        assertTrue(e.getMessage().contains("2 image(s)") && e.getMessage().contains("no mask named a.*")
                && e.getMessage().contains(maskDir.resolve("b.png") + ": cannot read"), e.getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LossMasks.maskFolder(dir.resolve("nope")))
                .getMessage().contains("--conditioning_data_dir"));
    }
}
