package dev.bakehouse.train.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageTransformTest {
    @TempDir
    Path root;

    private static BufferedImage gradient(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, ((x * 255 / (w - 1)) << 16) | (0x80 << 8) | (y * 255 / (h - 1)));
            }
        }
        return img;
    }

    private static BucketResolutions single(int side) {
        return BucketResolutions.prepare(BucketOptions.defaults(new Size(side, side), false),
                BucketOptions.Script.TRAIN_NETWORK, new ArrayList<>());
    }

    @Test
    void apply_constantColour_exactValuesInMinusOneToOneChw() {
        BufferedImage red = new BufferedImage(40, 20, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 20; y++) {
            for (int x = 0; x < 40; x++) {
                red.setRGB(x, y, 0xff0000);
            }
        }
        BucketAssignment a = single(16).select(new Size(40, 20));
        assertEquals(new Size(32, 16), a.resized());
        ImageTransform.Result r = ImageTransform.apply(red, a, Augmentation.NONE, new Random(1));
        assertEquals(3 * 16 * 16, r.chw().length);
        assertEquals(new Size(8, 0), r.cropLeftTop());
        for (int i = 0; i < 256; i++) {
            assertEquals(1f, r.chw()[i], 1e-6);
            assertEquals(-1f, r.chw()[256 + i], 1e-6);
            assertEquals(-1f, r.chw()[512 + i], 1e-6);
        }
    }

    @Test
    void apply_flipAug_mirrorsTheCenterCrop() {
        BufferedImage img = gradient(24, 24);
        BucketAssignment a = single(24).select(new Size(24, 24));
        float[] plain = ImageTransform.apply(img, a, Augmentation.NONE, new Random(1)).chw();
        Augmentation flip = new Augmentation(true, false, false, null);
        Random alwaysFlip = new Random() {
            @Override
            public double nextDouble() {
                return 0.1;
            }
        };
        ImageTransform.Result flipped = ImageTransform.apply(img, a, flip, alwaysFlip);
        assertTrue(flipped.flipped());
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < 24; y++) {
                for (int x = 0; x < 24; x++) {
                    assertEquals(plain[(c * 24 + y) * 24 + x], flipped.chw()[(c * 24 + y) * 24 + 23 - x], 0f);
                }
            }
        }
    }

    @Test
    void apply_randomCrop_offsetsWithinKohyasRange() {
        BucketAssignment a = single(16).select(new Size(40, 20));
        Augmentation crop = new Augmentation(false, false, true, null);
        for (int seed = 0; seed < 20; seed++) {
            Size off = ImageTransform.apply(gradient(40, 20), a, crop, new Random(seed)).cropLeftTop();
            assertTrue(off.width() >= 0 && off.width() <= 16 && off.height() == 0, off.toString());
        }
    }

    @Test
    void latentCache_keyedByContentVaeBucketFlip_diskReuseAndNothingInDataset() throws IOException {
        Path data = root.resolve("dataset/1_x");
        Files.createDirectories(data);
        Path image = data.resolve("a.png");
        ImageIO.write(gradient(24, 24), "png", image.toFile());
        BucketAssignment a = single(16).select(new Size(24, 24));
        ImageEntry entry = new ImageEntry(image, 0, false, 1, "x", null, new Size(24, 24), a);
        AtomicInteger calls = new AtomicInteger();
        LatentCache.Encoder enc = (chw, h, w) -> {
            calls.incrementAndGet();
            return new LatentCache.Latent(new int[] {4, h / 8, w / 8}, new float[] {chw[0], chw[1], chw[2], chw[3], 0, 0, 0, 0,
                    1, 1, 1, 1, 2, 2, 2, 2});
        };
        Path cacheDir = root.resolve("cache");
        LatentCache cache = new LatentCache(cacheDir, "vae-A", enc);
        LatentCache.Latent first = cache.get(entry, false);
        cache.get(entry, false);
        assertEquals(1, calls.get());
        LatentCache.Latent flipped = cache.get(entry, true);
        assertEquals(2, calls.get());
        assertTrue(first.values()[0] != flipped.values()[0], "flip is part of the key");
        LatentCache again = new LatentCache(cacheDir, "vae-A", enc);
        assertArrayEquals(first.values(), again.get(entry, false).values());
        assertArrayEquals(new int[] {4, 2, 2}, again.get(entry, false).shape());
        assertEquals(2, calls.get(), "read back from disk");
        new LatentCache(cacheDir, "vae-B", enc).get(entry, false);
        assertEquals(3, calls.get(), "another VAE re-encodes");
        try (Stream<Path> files = Files.list(data)) {
            assertEquals(List.of(image), files.toList(), "nothing written into the dataset");
        }
        try (Stream<Path> files = Files.list(cacheDir)) {
            assertEquals(3, files.filter(p -> p.toString().endsWith(".latent")).count());
        }
    }

    @Test
    void latentCache_colorAug_errorNamesBothOptions() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LatentCache.checkCacheable(new Augmentation(false, true, false, null)));
        assertTrue(e.getMessage().contains("cache_latents") && e.getMessage().contains("color_aug"), e.getMessage());
        LatentCache.checkCacheable(new Augmentation(true, false, false, null));
    }
}
