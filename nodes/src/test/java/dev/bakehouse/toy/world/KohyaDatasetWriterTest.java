package dev.bakehouse.toy.world;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KohyaDatasetWriterTest {
    @TempDir
    Path tmp;

    @Test
    void write_kikiSet_writesNumberedPngsAndCaptionsInRepeatsFolder() throws IOException {
        WorldGenerator generator = new WorldGenerator();
        Path folder = new KohyaDatasetWriter(generator).write(tmp.resolve("train"), "kiki", 10, 3, 100, SceneKind.KIKI);
        assertEquals(tmp.resolve("train/10_kiki"), folder);
        try (Stream<Path> files = Files.list(folder)) {
            assertEquals(List.of("img_0001.png", "img_0001.txt", "img_0002.png", "img_0002.txt", "img_0003.png",
                    "img_0003.txt"), files.map(p -> p.getFileName().toString()).sorted().toList());
        }
        for (int i = 0; i < 3; i++) {
            WorldImage expected = generator.generate(100 + i, SceneKind.KIKI);
            String stem = String.format("img_%04d", i + 1);
            assertEquals(expected.caption(), Files.readString(folder.resolve(stem + ".txt"), StandardCharsets.UTF_8));
            BufferedImage png = ImageIO.read(folder.resolve(stem + ".png").toFile());
            assertArrayEquals(expected.image().getRGB(0, 0, 128, 128, null, 0, 128), png.getRGB(0, 0, 128, 128, null, 0, 128));
        }
        try (Stream<Path> left = Files.list(tmp.resolve("train"))) {
            assertEquals(List.of(folder), left.toList(), "no staging folder left behind");
        }
    }

    @Test
    void write_existingFolderOrBadArguments_refused() throws IOException {
        KohyaDatasetWriter writer = new KohyaDatasetWriter(new WorldGenerator(64));
        writer.write(tmp, "toy", 1, 1, 0, SceneKind.PRETRAINING);
        assertThrows(FileAlreadyExistsException.class, () -> writer.write(tmp, "toy", 1, 1, 0, SceneKind.PRETRAINING));
        assertThrows(IllegalArgumentException.class, () -> writer.write(tmp, "toy", 0, 1, 0, SceneKind.PRETRAINING));
        assertThrows(IllegalArgumentException.class, () -> writer.write(tmp, "a/b", 1, 1, 0, SceneKind.PRETRAINING));
        assertThrows(IllegalArgumentException.class, () -> writer.write(tmp, "toy2", 1, 0, 0, SceneKind.PRETRAINING));
    }
}
