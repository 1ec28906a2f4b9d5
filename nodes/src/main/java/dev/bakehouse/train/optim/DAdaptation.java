package dev.bakehouse.train.optim;

import java.util.List;

/** What the D-Adaptation family and Prodigy share: one adapted step size for every group. */
final class DAdaptation {
    private DAdaptation() {}

    /**
     * The upstream step() raises when a group's lr is neither the largest nor 0 (one d serves all
     * groups); kohya only warns and the run then fails at its first step, so refuse it up front.
     */
    static void requireOneLr(OptimizerType type, List<ParamGroup> groups) {
        double max = groups.stream().mapToDouble(ParamGroup::baseLr).max().orElse(0);
        StringBuilder found = new StringBuilder();
        boolean mixed = false;
        for (ParamGroup g : groups) {
            found.append(found.length() == 0 ? "" : ", ").append(g.name()).append('=').append(g.baseLr());
            mixed |= g.baseLr() != max && g.baseLr() != 0;
        }
        if (mixed) {
            throw new IllegalArgumentException(type.kohyaName() + " adapts one step size for all parameters: every"
                    + " group's learning rate must be the same (or 0), found " + found
                    + "; set unet_lr and text_encoder_lr equal (usually 1.0)");
        }
    }

    /** The largest group lr of the coming update (the upstream's {@code lr}). */
    static double maxLr(AbstractOptimizer opt) {
        double lr = 0;
        for (int g = 0; g < opt.groups().size(); g++) {
            lr = Math.max(lr, opt.groupLr(g));
        }
        return lr;
    }
}
