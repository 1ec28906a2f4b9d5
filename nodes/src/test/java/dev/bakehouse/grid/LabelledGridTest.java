package dev.bakehouse.grid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LabelledGridTest {

    private static BufferedImage solid(int w, int h, int rgb) {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                image.setRGB(x, y, rgb + x * 0x010000 + y);
            }
        }
        return image;
    }

    private static List<BufferedImage> cells(int n, int w, int h) {
        List<BufferedImage> cells = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            cells.add(solid(w, h, 0x000100 * (i * 20)));
        }
        return cells;
    }

    @Test
    void render_sizeIsMarginsPlusEnlargedCells_andEachCellLandsInItsRectangle() {
        GridLabels labels = new GridLabels("LoRA", List.of("epoch-000001", "epoch-000002", "epoch-000003"),
                "Strength", List.of("0", "0.5"), "", GridLabels.unused());
        List<BufferedImage> cells = cells(6, 64, 48);
        BufferedImage grid = LabelledGrid.render(cells, labels);
        LabelledGrid.Layout l = LabelledGrid.layout(64, 48, labels);

        assertEquals(3, l.scale(), "48-pixel cells are enlarged x3 to reach " + LabelledGrid.MIN_CELL);
        assertEquals(l.leftMargin() + 3 * 64 * 3, grid.getWidth());
        assertEquals(l.headerHeight() + 2 * 48 * 3, grid.getHeight());
        assertTrue(l.leftMargin() > 0 && l.headerHeight() > 2 * l.fontSize(), l.toString());
        for (int y = 0; y < 2; y++) {
            for (int x = 0; x < 3; x++) {
                BufferedImage cell = cells.get(y * 3 + x);
                Rectangle r = l.cell(x, y, 0);
                for (int py = 0; py < r.height; py += 7) {
                    for (int px = 0; px < r.width; px += 5) {
                        assertEquals(cell.getRGB(px / 3, py / 3) & 0xffffff, grid.getRGB(r.x + px, r.y + py) & 0xffffff,
                                "cell " + x + "," + y + " pixel " + px + "," + py);
                    }
                }
            }
        }
    }

    @Test
    void render_labelsAreDrawnInTheMargins() {
        GridLabels labels = new GridLabels("LoRA", List.of("a", "b"), "Strength", List.of("0", "1"), "",
                GridLabels.unused());
        BufferedImage grid = LabelledGrid.render(cells(4, 128, 128), labels);
        LabelledGrid.Layout l = LabelledGrid.layout(128, 128, labels);
        assertTrue(darkPixels(grid, new Rectangle(l.leftMargin(), 0, 128, l.headerHeight())) > 10, "column label");
        assertTrue(darkPixels(grid, new Rectangle(0, l.headerHeight(), l.leftMargin(), 128)) > 10, "row label");
        assertTrue(darkPixels(grid, new Rectangle(0, 0, l.leftMargin(), l.headerHeight())) > 10, "Y title");
    }

    @Test
    void layout_longLabelsWrap_growingTheHeaderNotTheColumns() {
        GridLabels shortLabels = new GridLabels("", List.of("a", "b"), "", GridLabels.unused(), "", GridLabels.unused());
        GridLabels longLabels = new GridLabels("", List.of("my_character_lora-v3-epoch-000010.safetensors", "b"), "",
                GridLabels.unused(), "", GridLabels.unused());
        LabelledGrid.Layout s = LabelledGrid.layout(128, 128, shortLabels);
        LabelledGrid.Layout l = LabelledGrid.layout(128, 128, longLabels);
        assertEquals(s.width(), l.width());
        assertEquals(0, l.leftMargin(), "no Y axis, no left margin");
        assertTrue(l.headerHeight() >= s.headerHeight() + 2 * (l.fontSize()), s + " vs " + l);
    }

    @Test
    void layout_zPagesStackWithBannersAndGaps() {
        GridLabels labels = new GridLabels("Seed", List.of("1", "2"), "", GridLabels.unused(), "Sampler",
                List.of("euler", "ddim", "lms"));
        LabelledGrid.Layout l = LabelledGrid.layout(128, 128, labels);
        int page = l.bannerHeight() + l.headerHeight() + 128;
        assertTrue(l.bannerHeight() > 0 && l.gap() > 0);
        assertEquals(3 * page + 2 * l.gap(), l.height());
        assertEquals(page + l.gap(), l.pageTop(1));
        assertEquals(new Rectangle(128, 2 * (page + l.gap()) + l.bannerHeight() + l.headerHeight(), 128, 128),
                l.cell(1, 0, 2));
        assertEquals(l.height(), LabelledGrid.render(cells(6, 128, 128), labels).getHeight());
    }

    @Test
    void layout_noAxes_isTheBareCell() {
        GridLabels none = new GridLabels("", GridLabels.unused(), "", GridLabels.unused(), "", GridLabels.unused());
        LabelledGrid.Layout l = LabelledGrid.layout(512, 512, none);
        assertEquals(512, l.width());
        assertEquals(512, l.height());
    }

    @Test
    void render_wrongCellCountOrSize_fails() {
        GridLabels labels = new GridLabels("X", List.of("a", "b"), "", GridLabels.unused(), "", GridLabels.unused());
        IllegalArgumentException count = assertThrows(IllegalArgumentException.class,
                () -> LabelledGrid.render(cells(3, 8, 8), labels));
        assertTrue(count.getMessage().contains("needs 2 images, got 3"), count.getMessage());
        List<BufferedImage> mixed = List.of(solid(8, 8, 0), solid(16, 8, 0));
        IllegalArgumentException size = assertThrows(IllegalArgumentException.class,
                () -> LabelledGrid.render(mixed, labels));
        assertTrue(size.getMessage().contains("8x8 vs 16x8"), size.getMessage());
    }

    private static int darkPixels(BufferedImage image, Rectangle r) {
        int dark = 0;
        for (int y = r.y; y < r.y + r.height; y++) {
            for (int x = r.x; x < r.x + r.width; x++) {
                int rgb = image.getRGB(x, y);
                if (((rgb >> 16) & 0xff) < 100 && ((rgb >> 8) & 0xff) < 100 && (rgb & 0xff) < 100) {
                    dark++;
                }
            }
        }
        return dark;
    }
}
