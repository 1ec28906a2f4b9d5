package dev.bakehouse.train.data;

import java.util.ArrayList;
import java.util.List;

/**
 * kohya's regularisation balancing: reg images are repeated until the reg samples per epoch
 * reach the train count. The first pass registers images with their folder repeats and stops as
 * soon as the count is reached (so it can overshoot, and later images stay unused); later passes
 * add one repeat per image in order. Without train images no reg image is used.
 */
final class RegBalance {
    private RegBalance() {}

    static List<ImageEntry> balance(List<ImageEntry> reg, int numTrainImages) {
        List<ImageEntry> used = new ArrayList<>();
        List<Integer> repeats = new ArrayList<>();
        int n = 0;
        boolean firstPass = true;
        while (n < numTrainImages && !reg.isEmpty()) {
            for (int i = 0; i < reg.size(); i++) {
                if (firstPass) {
                    used.add(reg.get(i));
                    repeats.add(reg.get(i).numRepeats());
                    n += reg.get(i).numRepeats();
                } else {
                    repeats.set(i, repeats.get(i) + 1);
                    n += 1;
                }
                if (n >= numTrainImages) {
                    break;
                }
            }
            firstPass = false;
        }
        List<ImageEntry> out = new ArrayList<>();
        for (int i = 0; i < used.size(); i++) {
            ImageEntry e = used.get(i);
            out.add(new ImageEntry(e.path(), e.subsetIndex(), true, repeats.get(i), e.caption(), e.captionFile(), e.size(),
                    e.bucket()));
        }
        return out;
    }
}
