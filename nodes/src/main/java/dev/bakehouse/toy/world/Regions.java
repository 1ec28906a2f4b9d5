package dev.bakehouse.toy.world;

import java.util.ArrayList;
import java.util.List;

/** Connected regions of a mask and the bounding box of a pixel set. */
final class Regions {
    private Regions() {}

    /** The 8-connected regions of {@code mask} (w×h, row-major), each as its pixel indices. */
    static List<int[]> components(boolean[] mask, int w, int h) {
        int[] label = new int[mask.length];
        List<int[]> out = new ArrayList<>();
        int[] queue = new int[mask.length];
        for (int start = 0; start < mask.length; start++) {
            if (!mask[start] || label[start] != 0) {
                continue;
            }
            int id = out.size() + 1;
            int head = 0;
            int tail = 0;
            queue[tail++] = start;
            label[start] = id;
            while (head < tail) {
                int p = queue[head++];
                int px = p % w;
                int py = p / w;
                for (int dy = -1; dy <= 1; dy++) {
                    for (int dx = -1; dx <= 1; dx++) {
                        int x = px + dx;
                        int y = py + dy;
                        if (x >= 0 && y >= 0 && x < w && y < h) {
                            int q = y * w + x;
                            if (mask[q] && label[q] == 0) {
                                label[q] = id;
                                queue[tail++] = q;
                            }
                        }
                    }
                }
            }
            out.add(java.util.Arrays.copyOf(queue, tail));
        }
        return out;
    }

    /** Bounding box {x0, y0, x1, y1} (inclusive) of pixel indices in an image of width w. */
    static int[] box(int[] pixels, int w) {
        int x0 = Integer.MAX_VALUE;
        int y0 = Integer.MAX_VALUE;
        int x1 = -1;
        int y1 = -1;
        for (int p : pixels) {
            x0 = Math.min(x0, p % w);
            x1 = Math.max(x1, p % w);
            y0 = Math.min(y0, p / w);
            y1 = Math.max(y1, p / w);
        }
        return new int[] {x0, y0, x1, y1};
    }
}
