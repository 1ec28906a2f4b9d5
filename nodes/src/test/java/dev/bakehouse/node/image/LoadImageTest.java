package dev.bakehouse.node.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bakehouse.node.DataDirs;
import dev.bakehouse.node.FakeContext;
import dev.bakehouse.node.ImageBatch;
import dev.bakehouse.node.Mask;
import dev.bakehouse.node.NodeInputs;
import dev.bakehouse.node.NodeResult;
import dev.bakehouse.node.ValidationResult;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoadImageTest {
    @TempDir
    Path tmp;

    @Test
    void load_rgbImage_givesFloatPixelsAndA64x64ZeroMask() throws Exception {
        DataDirs dirs = DataDirs.of(tmp);
        writeRgb(dirs.input().resolve("rgb.png"), 0x336699);

        NodeResult result = load(dirs, "rgb.png");

        ImageBatch image = (ImageBatch) result.outputs().get(0);
        assertEquals(1, image.batch());
        assertEquals(3, image.channels());
        assertEquals(0x33 / 255f, image.get(0, 1, 2, 0), 1e-7);
        assertEquals(0x99 / 255f, image.get(0, 1, 2, 2), 1e-7);
        assertEquals(Mask.zeros(1, 64, 64), result.outputs().get(1));
    }

    @Test
    void load_imageWithAlpha_givesOneMinusAlphaAsMask() throws Exception {
        DataDirs dirs = DataDirs.of(tmp);
        BufferedImage rgba = new BufferedImage(2, 1, BufferedImage.TYPE_INT_ARGB);
        rgba.setRGB(0, 0, 0xff_ff0000);
        rgba.setRGB(1, 0, 0x33_00ff00);
        ImageIO.write(rgba, "png", dirs.input().resolve("alpha.png").toFile());

        Mask mask = (Mask) load(dirs, "alpha.png").outputs().get(1);

        assertEquals(0f, mask.get(0, 0, 0), 1e-7);
        assertEquals(1f - 0x33 / 255f, mask.get(0, 0, 1), 1e-7);
    }

    @Test
    void load_annotatedOutputName_readsFromTheOutputFolder() throws Exception {
        DataDirs dirs = DataDirs.of(tmp);
        writeRgb(dirs.output().resolve("made.png"), 0xffffff);
        assertEquals(1f, ((ImageBatch) load(dirs, "made.png [output]").outputs().get(0)).get(0, 0, 0, 1));
    }

    @Test
    void validate_acceptsSubfolderAndAnnotatedNamesButRefusesEscapes() throws Exception {
        DataDirs dirs = DataDirs.of(tmp);
        Files.createDirectories(dirs.input().resolve("sub"));
        writeRgb(dirs.input().resolve("sub/file.png"), 0);
        writeRgb(dirs.output().resolve("x.png"), 0);
        writeRgb(tmp.resolve("outside.png"), 0);
        LoadImage node = new LoadImage(dirs);

        assertTrue(validate(node, "sub/file.png").valid());
        assertTrue(validate(node, "x.png [output]").valid());
        ValidationResult missing = validate(node, "nope.png");
        assertEquals(ValidationResult.invalid("Invalid image file: nope.png"), missing);
        ValidationResult escape = validate(node, "../outside.png");
        assertFalse(escape.valid());
        assertTrue(escape.reason().startsWith("Invalid image file: ../outside.png"), escape.reason());
        assertFalse(validate(node, "/etc/hostname").valid());
    }

    @Test
    void options_listImageFilesAtTheTopOfTheInputFolderSorted() throws Exception {
        DataDirs dirs = DataDirs.of(tmp);
        writeRgb(dirs.input().resolve("b.png"), 0);
        writeRgb(dirs.input().resolve("a.png"), 0);
        Files.writeString(dirs.input().resolve("notes.txt"), "x");
        Files.createDirectories(dirs.input().resolve("sub"));
        writeRgb(dirs.input().resolve("sub/c.png"), 0);

        assertEquals(List.of("a.png", "b.png"), ImageFiles.inputImages(dirs));
    }

    @Test
    void fingerprint_isTheFileHashAndChangesWithTheContent() throws Exception {
        DataDirs dirs = DataDirs.of(tmp);
        Path file = dirs.input().resolve("f.png");
        writeRgb(file, 0x000000);
        LoadImage node = new LoadImage(dirs);
        NodeInputs inputs = new NodeInputs("LoadImage #1", Map.of("image", "f.png"));
        Object before = node.fingerprint(inputs);
        assertEquals(before, node.fingerprint(inputs));
        assertEquals(64, before.toString().length());

        writeRgb(file, 0xffffff);

        assertNotEquals(before, node.fingerprint(inputs));
    }

    private static NodeResult load(DataDirs dirs, String name) throws IOException {
        return new LoadImage(dirs).execute(new NodeInputs("LoadImage #1", Map.of("image", name)),
                new FakeContext(dirs));
    }

    private static ValidationResult validate(LoadImage node, String name) {
        return node.validateInputs(new NodeInputs("LoadImage #1", Map.of("image", name)), Map.of());
    }

    private static void writeRgb(Path file, int rgb) throws IOException {
        BufferedImage image = new BufferedImage(3, 2, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 2; y++) {
            for (int x = 0; x < 3; x++) {
                image.setRGB(x, y, rgb);
            }
        }
        ImageIO.write(image, "png", file.toFile());
    }
}
