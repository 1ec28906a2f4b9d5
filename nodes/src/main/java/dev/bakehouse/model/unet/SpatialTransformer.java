package dev.bakehouse.model.unet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import dev.bakehouse.model.nn.Constants;
import dev.bakehouse.model.nn.Conv2d;
import dev.bakehouse.model.nn.GroupNorm;
import dev.bakehouse.model.nn.Linear;
import dev.bakehouse.model.nn.ParamStore;
import dev.bakehouse.model.nn.Scope;
import java.util.ArrayList;
import java.util.List;

/**
 * LDM SpatialTransformer ({@code <key>.norm / proj_in / transformer_blocks.N / proj_out}): GroupNorm
 * (eps 1e-6 in SD), proj_in, the image as (B, H*W, C) tokens in row-major (h, w) order through
 * the transformer blocks, proj_out, plus the input. proj_in/proj_out are 1x1 convs in SD1 and
 * linears in SD2 and SDXL ({@code use_linear_in_transformer}); SDXL stacks several blocks ({@code depth}).
 */
final class SpatialTransformer implements UNetLayer {
    private final GroupNorm norm;
    private final Conv2d projInConv;
    private final Conv2d projOutConv;
    private final Linear projInLinear;
    private final Linear projOutLinear;
    private final List<BasicTransformerBlock> blocks = new ArrayList<>();

    SpatialTransformer(ParamStore store, Constants constants, UNetConfig cfg, String key, long channels, int depth) {
        this.norm = new GroupNorm(store, constants, key + ".norm", cfg.normNumGroups(), channels, cfg.transformerGroupNormEps());
        boolean linear = cfg.useLinearInTransformer();
        this.projInConv = linear ? null : Conv2d.same(store, key + ".proj_in", channels, channels, 1);
        this.projInLinear = linear ? new Linear(store, key + ".proj_in", channels, channels, true) : null;
        int heads = cfg.heads(channels);
        for (int d = 0; d < depth; d++) {
            blocks.add(new BasicTransformerBlock(store, cfg, key + ".transformer_blocks." + d, channels, heads));
        }
        this.projOutConv = linear ? null : Conv2d.same(store, key + ".proj_out", channels, channels, 1);
        this.projOutLinear = linear ? new Linear(store, key + ".proj_out", channels, channels, true) : null;
    }

    @Override
    public NDArray forward(NDArray x, NDArray embSilu, NDArray context) {
        return Scope.run(x, in -> {
            Shape s = in.getShape(); // (B, C, H, W)
            long b = s.get(0);
            long c = s.get(1);
            NDArray h = norm.forward(in);
            if (projInConv != null) {
                h = projInConv.forward(h);
            }
            h = h.reshape(b, c, -1).transpose(0, 2, 1); // (B, H*W, C)
            if (projInLinear != null) {
                h = projInLinear.forward(h);
            }
            for (BasicTransformerBlock block : blocks) {
                h = block.forward(h, context);
            }
            if (projOutLinear != null) {
                h = projOutLinear.forward(h);
            }
            h = h.transpose(0, 2, 1).reshape(s);
            if (projOutConv != null) {
                h = projOutConv.forward(h);
            }
            return h.add(in);
        });
    }
}
