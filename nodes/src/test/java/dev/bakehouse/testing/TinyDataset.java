package dev.bakehouse.testing;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** A generated kohya dataset for training tests: 64x64 rings in one {@code N_name} folder, captions in .txt files. */
public final class TinyDataset {
    private TinyDataset() {}

    /** Writes {@code count} images into {@code root/folder} (e.g. {@code 2_kiki}); returns {@code root}. */
    public static Path write(Path root, String folder, int count) throws IOException {
        Path dir = root.resolve(folder);
        Files.createDirectories(dir);
        Color[] colours = {new Color(220, 40, 40), new Color(40, 80, 220), new Color(40, 180, 60), new Color(240, 210, 40)};
        for (int i = 0; i < count; i++) {
            BufferedImage image = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = image.createGraphics();
            g.setColor(new Color(128, 128, 128));
            g.fillRect(0, 0, 64, 64);
            g.setColor(colours[i % colours.length]);
            g.setStroke(new BasicStroke(6));
            g.drawOval(10 + i % 3 * 4, 12, 36, 36);
            g.dispose();
            ImageIO.write(image, "png", dir.resolve(String.format("img_%02d.png", i)).toFile());
            Files.writeString(dir.resolve(String.format("img_%02d.txt", i)), "kiki, ring, grey background");
        }
        return root;
    }
}
