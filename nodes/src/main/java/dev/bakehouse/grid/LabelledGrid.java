package dev.bakehouse.grid;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * Draws an X/Y(/Z) grid of same-sized images with Java2D, in the manner of A1111's X/Y/Z plot:
 * column labels on top under the X title, row labels on the left under the Y title (top-left
 * corner), and one grid per Z value stacked top to bottom, each under a banner naming its value.
 * Cells smaller than {@value #MIN_CELL} pixels are enlarged by a whole factor (nearest neighbour,
 * so pixels stay sharp) so that labels fit beside them. Long labels wrap ({@link TextWrap}).
 */
public final class LabelledGrid {
    /** Cells are enlarged until their shorter side is at least this many pixels. */
    public static final int MIN_CELL = 128;
    private static final int MAX_LABEL_LINES = 5;
    private static final Color BACKGROUND = Color.WHITE;
    private static final Color TEXT = Color.BLACK;
    private static final Color BANNER = new Color(0xE8, 0xE8, 0xE8);

    private LabelledGrid() {}

    /**
     * Where everything goes, from the cell size and the labels.
     *
     * @param scale        whole enlargement factor of every cell
     * @param columnWidth  width of one cell on the grid
     * @param rowHeight    height of one cell on the grid
     * @param rows         rows per page
     * @param leftMargin   width of the row-label column (0 without a Y axis)
     * @param headerHeight height of the title and column-label band above the cells (0 without X and Y axes)
     * @param bannerHeight height of each page's Z banner (0 without a Z axis)
     * @param gap          space between pages
     * @param width        image width: {@code leftMargin + columns * columnWidth}
     * @param height       image height: pages x (banner + header + rows x rowHeight) + gaps between pages
     * @param fontSize     label font size in pixels
     */
    public record Layout(int scale, int columnWidth, int rowHeight, int rows, int leftMargin, int headerHeight,
            int bannerHeight, int gap, int width, int height, int fontSize) {

        /** Top of page {@code z}. */
        public int pageTop(int z) {
            return z * (bannerHeight + headerHeight + rowHeight * rows + gap);
        }

        /** The rectangle cell (x, y) of page z fills. */
        public Rectangle cell(int x, int y, int z) {
            return new Rectangle(leftMargin + x * columnWidth,
                    pageTop(z) + bannerHeight + headerHeight + y * rowHeight, columnWidth, rowHeight);
        }
    }

    /** The layout {@link #render} uses for cells of this size and these labels. */
    public static Layout layout(int cellWidth, int cellHeight, GridLabels labels) {
        return new Measure(cellWidth, cellHeight, labels).layout;
    }

    /**
     * @param cells the images in page, row, column order ({@code cells.get((z * rows + y) * columns + x)}),
     *              all of one size
     */
    public static BufferedImage render(List<BufferedImage> cells, GridLabels labels) {
        if (cells.size() != labels.cells()) {
            throw new IllegalArgumentException("a " + labels.columns() + "x" + labels.rows() + "x" + labels.pages()
                    + " grid needs " + labels.cells() + " images, got " + cells.size());
        }
        int w = cells.get(0).getWidth();
        int h = cells.get(0).getHeight();
        for (BufferedImage cell : cells) {
            if (cell.getWidth() != w || cell.getHeight() != h) {
                throw new IllegalArgumentException("grid cells must share one size: " + w + "x" + h + " vs "
                        + cell.getWidth() + "x" + cell.getHeight());
            }
        }
        Measure m = new Measure(w, h, labels);
        Layout l = m.layout;
        BufferedImage grid = new BufferedImage(l.width(), l.height(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = grid.createGraphics();
        try {
            hints(g);
            g.setColor(BACKGROUND);
            g.fillRect(0, 0, l.width(), l.height());
            for (int z = 0; z < labels.pages(); z++) {
                drawPage(g, m, labels, cells, z);
            }
        } finally {
            g.dispose();
        }
        return grid;
    }

    private static void drawPage(Graphics2D g, Measure m, GridLabels labels, List<BufferedImage> cells, int z) {
        Layout l = m.layout;
        int top = l.pageTop(z);
        int gridWidth = labels.columns() * l.columnWidth();
        if (l.bannerHeight() > 0) {
            g.setColor(BANNER);
            g.fillRect(0, top, l.width(), l.bannerHeight());
            drawLines(g, m.bold, m.wrap(m.bold, m.zBanner(z), l.width() - 2 * m.pad), 0, top, l.width(), l.bannerHeight());
            top += l.bannerHeight();
        }
        if (l.headerHeight() > 0) {
            int titleHeight = 0;
            if (!labels.xTitle().isEmpty()) {
                List<String> title = m.wrap(m.bold, labels.xTitle(), gridWidth - 2 * m.pad);
                titleHeight = title.size() * m.lineHeight + m.pad;
                drawLines(g, m.bold, title, l.leftMargin(), top + m.pad / 2, gridWidth, titleHeight);
            }
            for (int x = 0; x < labels.columns(); x++) {
                drawLines(g, m.plain, m.wrap(m.plain, labels.xValues().get(x), l.columnWidth() - 2 * m.pad),
                        l.leftMargin() + x * l.columnWidth(), top + titleHeight, l.columnWidth(),
                        l.headerHeight() - titleHeight);
            }
            if (!labels.yTitle().isEmpty()) {
                drawLines(g, m.bold, m.wrap(m.bold, labels.yTitle(), l.leftMargin() - 2 * m.pad), 0, top,
                        l.leftMargin(), l.headerHeight());
            }
        }
        for (int y = 0; y < labels.rows(); y++) {
            Rectangle row = l.cell(0, y, z);
            if (l.leftMargin() > 0) {
                drawLines(g, m.plain, m.wrap(m.plain, labels.yValues().get(y), l.leftMargin() - 2 * m.pad), 0,
                        row.y, l.leftMargin(), l.rowHeight());
            }
            for (int x = 0; x < labels.columns(); x++) {
                Rectangle r = l.cell(x, y, z);
                BufferedImage cell = cells.get((z * labels.rows() + y) * labels.columns() + x);
                g.drawImage(cell, r.x, r.y, r.width, r.height, null);
            }
        }
    }

    /** Lines centred horizontally and vertically in the box. */
    private static void drawLines(Graphics2D g, Font font, List<String> lines, int x, int y, int width, int height) {
        g.setFont(font);
        g.setColor(TEXT);
        FontMetrics fm = g.getFontMetrics();
        int textHeight = lines.size() * fm.getHeight();
        int baseline = y + (height - textHeight) / 2 + fm.getAscent();
        for (String line : lines) {
            g.drawString(line, x + (width - fm.stringWidth(line)) / 2, baseline);
            baseline += fm.getHeight();
        }
    }

    private static void hints(Graphics2D g) {
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_OFF);
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
    }

    /** Fonts, wrapped label heights and the resulting layout; one per grid. */
    private static final class Measure {
        final Font plain;
        final Font bold;
        final int pad;
        final int lineHeight;
        final Layout layout;
        private final GridLabels labels;
        private final FontMetrics plainMetrics;
        private final FontMetrics boldMetrics;

        Measure(int cellWidth, int cellHeight, GridLabels labels) {
            if (cellWidth <= 0 || cellHeight <= 0) {
                throw new IllegalArgumentException("grid cells must have a positive size, got " + cellWidth + "x" + cellHeight);
            }
            this.labels = labels;
            int scale = Math.max(1, (MIN_CELL + Math.min(cellWidth, cellHeight) - 1) / Math.min(cellWidth, cellHeight));
            int columnWidth = cellWidth * scale;
            int rowHeight = cellHeight * scale;
            int fontSize = Math.max(13, Math.min(36, Math.round(columnWidth / 11f)));
            plain = new Font(Font.SANS_SERIF, Font.PLAIN, fontSize);
            bold = new Font(Font.SANS_SERIF, Font.BOLD, fontSize);
            BufferedImage scratch = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = scratch.createGraphics();
            try {
                hints(g);
                plainMetrics = g.getFontMetrics(plain);
                boldMetrics = g.getFontMetrics(bold);
            } finally {
                g.dispose();
            }
            pad = Math.max(4, fontSize / 2);
            lineHeight = plainMetrics.getHeight();
            int gridWidth = labels.columns() * columnWidth;

            int leftMargin = 0;
            if (labels.hasY()) {
                int widest = boldMetrics.stringWidth(labels.yTitle());
                for (String label : labels.yValues()) {
                    for (String line : label.split("\n")) {
                        widest = Math.max(widest, plainMetrics.stringWidth(line));
                    }
                }
                int max = Math.max(columnWidth, 12 * fontSize);
                leftMargin = Math.max(5 * fontSize, Math.min(max, widest + 2 * pad));
            }
            int headerHeight = 0;
            if (labels.hasX() || labels.hasY()) {
                int titleLines = labels.xTitle().isEmpty() ? 0 : wrap(bold, labels.xTitle(), gridWidth - 2 * pad).size();
                int valueLines = 0;
                for (String label : labels.xValues()) {
                    valueLines = Math.max(valueLines, wrap(plain, label, columnWidth - 2 * pad).size());
                }
                int xBand = (titleLines + valueLines) * lineHeight + (titleLines > 0 ? pad : 0) + 2 * pad;
                int yTitle = labels.yTitle().isEmpty() ? 0
                        : wrap(bold, labels.yTitle(), leftMargin - 2 * pad).size() * lineHeight + 2 * pad;
                headerHeight = Math.max(labels.hasX() ? xBand : 0, yTitle);
            }
            int width = leftMargin + gridWidth;
            int bannerHeight = 0;
            if (labels.hasZ()) {
                for (int z = 0; z < labels.pages(); z++) {
                    bannerHeight = Math.max(bannerHeight,
                            wrap(bold, zBanner(z), width - 2 * pad).size() * lineHeight + 2 * pad);
                }
            }
            int gap = labels.pages() > 1 ? 2 * pad : 0;
            int pageHeight = bannerHeight + headerHeight + labels.rows() * rowHeight;
            int height = labels.pages() * pageHeight + (labels.pages() - 1) * gap;
            layout = new Layout(scale, columnWidth, rowHeight, labels.rows(), leftMargin, headerHeight, bannerHeight,
                    gap, width, height, fontSize);
        }

        String zBanner(int z) {
            String value = labels.zValues().get(z);
            return labels.zTitle().isEmpty() ? value : value.isEmpty() ? labels.zTitle() : labels.zTitle() + ": " + value;
        }

        List<String> wrap(Font font, String text, int width) {
            return TextWrap.wrap(text, font == bold ? boldMetrics : plainMetrics, width, MAX_LABEL_LINES);
        }
    }
}
