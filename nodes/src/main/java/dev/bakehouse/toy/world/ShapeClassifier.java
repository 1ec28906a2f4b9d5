package dev.bakehouse.toy.world;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;

/**
 * Names the shape of a mask by template matching: each shape is drawn into the mask's bounding
 * box (so stretched drawings still match), blurred and cut at half coverage the way a blurred
 * drawing's mask is, and the best intersection-over-union wins. Blur eats thin tips (a star's
 * points), so the box may be smaller than the drawing: templates are also tried a little larger
 * than the box, and the winning scale corrects the object's measured height. Upright shapes only,
 * as the generator draws them.
 */
final class ShapeClassifier {
    /** Template box over mask box. */
    private static final double[] SCALES = {1.0, 1.15, 1.3};
    /** Gaussian blur of the template, in pixels. */
    private static final double[] BLURS = {0, 1.6};

    /** The best shape, its IoU and the template's height in pixels. */
    record Match(Shape shape, double iou, double height) {}

    private ShapeClassifier() {}

    /** {@code pixels}: the mask's pixel indices in an image of width {@code width}. */
    static Match classify(int[] pixels, int width) {
        int[] box = Regions.box(pixels, width);
        int w = box[2] - box[0] + 1;
        int h = box[3] - box[1] + 1;
        int margin = (int) Math.ceil((SCALES[SCALES.length - 1] - 1) * Math.max(w, h) / 2) + 2;
        int dw = w + 2 * margin;
        int dh = h + 2 * margin;
        boolean[] mask = new boolean[dw * dh];
        for (int p : pixels) {
            mask[(p / width - box[1] + margin) * dw + (p % width - box[0] + margin)] = true;
        }
        Match best = new Match(Shape.CIRCLE, -1, h);
        for (Shape shape : Shape.values()) {
            for (double scale : SCALES) {
                float[] coverage = coverage(shape, dw, dh, margin + w / 2.0, margin + h / 2.0, w * scale, h * scale);
                for (double blur : BLURS) {
                    double iou = iou(mask, Blur.gaussian(coverage, dw, dh, blur));
                    if (iou > best.iou() + 1e-9) {
                        best = new Match(shape, iou, h * scale);
                    }
                }
            }
        }
        return best;
    }

    /** Anti-aliased coverage (0..1) of {@code shape} in a box of w×h centred at (cx, cy). */
    private static float[] coverage(Shape shape, int dw, int dh, double cx, double cy, double w, double h) {
        BufferedImage canvas = new BufferedImage(dw, dh, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = ShapePainter.graphics(canvas);
        g.setColor(Color.WHITE);
        g.fill(ShapePainter.outline(shape, cx - w / 2, cy - h / 2, w, h));
        g.dispose();
        byte[] data = ((DataBufferByte) canvas.getRaster().getDataBuffer()).getData();
        float[] out = new float[data.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (data[i] & 0xFF) / 255f;
        }
        return out;
    }

    private static double iou(boolean[] mask, float[] template) {
        int both = 0;
        int either = 0;
        for (int i = 0; i < mask.length; i++) {
            boolean t = template[i] >= 0.5f;
            both += mask[i] && t ? 1 : 0;
            either += mask[i] || t ? 1 : 0;
        }
        return either == 0 ? 0 : (double) both / either;
    }
}
