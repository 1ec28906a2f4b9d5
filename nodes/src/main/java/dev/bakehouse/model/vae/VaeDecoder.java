package dev.bakehouse.model.vae;

import ai.djl.ndarray.NDArray;
import dev.bakehouse.model.nn.Activations;
import dev.bakehouse.model.nn.Constants;
import dev.bakehouse.model.nn.Conv2d;
import dev.bakehouse.model.nn.GroupNorm;
import dev.bakehouse.model.nn.ParamStore;
import dev.bakehouse.model.nn.Resample;
import dev.bakehouse.model.nn.Scope;
import java.util.ArrayList;
import java.util.List;

/**
 * LDM Decoder ({@code decoder.conv_in, mid.*, up.N.block.M, up.N.upsample.conv, norm_out, conv_out});
 * levels run from the deepest {@code up.(levels-1)} to {@code up.0}.
 */
final class VaeDecoder {
    private final Conv2d convIn;
    private final VaeMidBlock mid;
    /** Deepest level (up.(levels-1)) first, in run order. */
    private final List<List<VaeResnetBlock>> blocks = new ArrayList<>();
    private final List<Conv2d> upsamples = new ArrayList<>();
    private final GroupNorm normOut;
    private final Conv2d convOut;

    VaeDecoder(ParamStore store, Constants constants, VaeConfig cfg, String key) {
        int levels = cfg.levels();
        long ch = cfg.channels(levels - 1);
        this.convIn = Conv2d.same(store, key + ".conv_in", cfg.zChannels(), ch, 3);
        this.mid = new VaeMidBlock(store, constants, cfg, key + ".mid", ch);
        List<List<VaeResnetBlock>> deepestFirst = new ArrayList<>();
        List<Conv2d> upsDeepestFirst = new ArrayList<>();
        for (int level = levels - 1; level >= 0; level--) {
            List<VaeResnetBlock> levelBlocks = new ArrayList<>();
            for (int j = 0; j <= cfg.numResBlocks(); j++) {
                levelBlocks.add(new VaeResnetBlock(store, constants, cfg, key + ".up." + level + ".block." + j, ch, cfg.channels(level)));
                ch = cfg.channels(level);
            }
            deepestFirst.add(levelBlocks);
            upsDeepestFirst.add(level == 0 ? null : Conv2d.same(store, key + ".up." + level + ".upsample.conv", ch, ch, 3));
        }
        blocks.addAll(deepestFirst);
        upsamples.addAll(upsDeepestFirst);
        this.normOut = new GroupNorm(store, constants, key + ".norm_out", cfg.normNumGroups(), ch, cfg.normEps());
        this.convOut = Conv2d.same(store, key + ".conv_out", ch, cfg.outCh(), 3);
    }

    /** z (B, z, h, w), after post_quant_conv -> (B, 3, h*f, w*f), raw. */
    NDArray forward(NDArray z) {
        NDArray h = convIn.forward(z);
        h = mid.forward(h, z);
        for (int i = 0; i < blocks.size(); i++) {
            for (VaeResnetBlock block : blocks.get(i)) {
                h = Scope.advance(h, z, block::forward);
            }
            Conv2d up = upsamples.get(i);
            if (up != null) {
                h = Scope.advance(h, z, in -> Scope.run(in, x -> up.forward(Resample.nearest2x(x))));
            }
        }
        return Scope.run(h, in -> {
            NDArray out = normOut.forward(in);
            out = Scope.advance(out, in, Activations::silu);
            return Scope.advance(out, in, convOut::forward);
        });
    }
}
