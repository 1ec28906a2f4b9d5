package dev.bakehouse.model.vae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import dev.bakehouse.model.nn.Activations;
import dev.bakehouse.model.nn.Constants;
import dev.bakehouse.model.nn.Conv2d;
import dev.bakehouse.model.nn.GroupNorm;
import dev.bakehouse.model.nn.ParamStore;
import dev.bakehouse.model.nn.Scope;
import java.util.ArrayList;
import java.util.List;

/**
 * LDM Encoder ({@code encoder.conv_in, down.N.block.M, down.N.downsample.conv, mid.*, norm_out, conv_out}).
 * Downsampling pads only right and bottom by one, then a 3x3 stride-2 conv without padding.
 */
final class VaeEncoder {
    private static final Shape PAD_RIGHT_BOTTOM = new Shape(0, 1, 0, 1);

    private final Conv2d convIn;
    private final List<List<VaeResnetBlock>> blocks = new ArrayList<>();
    private final List<Conv2d> downsamples = new ArrayList<>();
    private final VaeMidBlock mid;
    private final GroupNorm normOut;
    private final Conv2d convOut;

    VaeEncoder(ParamStore store, Constants constants, VaeConfig cfg, String key) {
        this.convIn = Conv2d.same(store, key + ".conv_in", cfg.inChannels(), cfg.ch(), 3);
        long ch = cfg.ch();
        for (int level = 0; level < cfg.levels(); level++) {
            List<VaeResnetBlock> levelBlocks = new ArrayList<>();
            for (int j = 0; j < cfg.numResBlocks(); j++) {
                levelBlocks.add(new VaeResnetBlock(store, constants, cfg, key + ".down." + level + ".block." + j, ch, cfg.channels(level)));
                ch = cfg.channels(level);
            }
            blocks.add(levelBlocks);
            if (level != cfg.levels() - 1) {
                downsamples.add(new Conv2d(store, key + ".down." + level + ".downsample.conv", ch, ch, 3, 2, 0));
            }
        }
        this.mid = new VaeMidBlock(store, constants, cfg, key + ".mid", ch);
        this.normOut = new GroupNorm(store, constants, key + ".norm_out", cfg.normNumGroups(), ch, cfg.normEps());
        this.convOut = Conv2d.same(store, key + ".conv_out", ch, 2L * cfg.zChannels(), 3);
    }

    /** x (B, 3, H, W) in [-1, 1] -> (B, 2z, H/f, W/f). */
    NDArray forward(NDArray x) {
        NDArray h = convIn.forward(x);
        for (int level = 0; level < blocks.size(); level++) {
            for (VaeResnetBlock block : blocks.get(level)) {
                h = Scope.advance(h, x, block::forward);
            }
            if (level < downsamples.size()) {
                Conv2d down = downsamples.get(level);
                h = Scope.advance(h, x, in -> Scope.run(in, i -> down.forward(i.pad(PAD_RIGHT_BOTTOM, 0))));
            }
        }
        h = mid.forward(h, x);
        return Scope.run(h, in -> convOut.forward(Activations.silu(normOut.forward(in))));
    }
}
