package dev.bakehouse.model.unet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import dev.bakehouse.model.nn.Activations;
import dev.bakehouse.model.nn.CheckpointTape;
import dev.bakehouse.model.nn.Constants;
import dev.bakehouse.model.nn.Conv2d;
import dev.bakehouse.model.nn.GroupNorm;
import dev.bakehouse.model.nn.Linear;
import dev.bakehouse.model.nn.ParamStore;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The SD1.x/2.x/SDXL conditional UNet in the LDM layout, its weights named by the single-file keys
 * under {@code prefix} (normally {@code model.diffusion_model.}). Built from a {@link UNetConfig}; the
 * block layout follows LDM's {@code UNetModel.__init__}, so the block numbers are the key numbers.
 * SDXL adds the vector conditioning {@code y} (sgm {@code num_classes: sequential}):
 * emb = time_embed(t_emb) + label_emb(y).
 */
public final class UNet2DCondition {
    public static final String PREFIX = "model.diffusion_model.";

    private final UNetConfig config;
    private final Linear timeEmbed0;
    private final Linear timeEmbed2;
    private final Linear labelEmbed0;
    private final Linear labelEmbed2;
    private final List<UNetBlock> inputBlocks = new ArrayList<>();
    private final UNetBlock middleBlock;
    private final List<UNetBlock> outputBlocks = new ArrayList<>();
    private final GroupNorm outNorm;
    private final Conv2d outConv;

    /** Declares every weight in {@code store}; load them with {@link ParamStore#load}. */
    public UNet2DCondition(ParamStore store, Constants constants, UNetConfig cfg, String prefix) {
        this.config = cfg;
        int mc = cfg.modelChannels();
        int ted = cfg.timeEmbedDim();
        this.timeEmbed0 = new Linear(store, prefix + "time_embed.0", mc, ted, true);
        this.timeEmbed2 = new Linear(store, prefix + "time_embed.2", ted, ted, true);
        boolean vector = cfg.hasVectorConditioning();
        this.labelEmbed0 = vector ? new Linear(store, prefix + "label_emb.0.0", cfg.admInChannels(), ted, true) : null;
        this.labelEmbed2 = vector ? new Linear(store, prefix + "label_emb.0.2", ted, ted, true) : null;

        List<Long> skipChannels = new ArrayList<>();
        inputBlocks.add(new UNetBlock(List.of(
                new ConvIn(Conv2d.same(store, prefix + "input_blocks.0.0", cfg.inChannels(), mc, 3)))));
        skipChannels.add((long) mc);
        long ch = mc;
        for (int level = 0; level < cfg.levels(); level++) {
            for (int r = 0; r < cfg.numResBlocks(); r++) {
                String key = prefix + "input_blocks." + inputBlocks.size();
                long out = cfg.channels(level);
                List<UNetLayer> layers = new ArrayList<>();
                layers.add(new ResBlock(store, constants, cfg, key + ".0", ch, out));
                ch = out;
                if (cfg.hasAttention(level)) {
                    layers.add(new SpatialTransformer(store, constants, cfg, key + ".1", ch, cfg.transformerDepth(level)));
                }
                inputBlocks.add(new UNetBlock(layers));
                skipChannels.add(ch);
            }
            if (level != cfg.levels() - 1) {
                String key = prefix + "input_blocks." + inputBlocks.size() + ".0";
                inputBlocks.add(new UNetBlock(List.of(new Downsample(store, key, ch))));
                skipChannels.add(ch);
            }
        }

        String mid = prefix + "middle_block.";
        this.middleBlock = new UNetBlock(List.of(
                new ResBlock(store, constants, cfg, mid + "0", ch, ch),
                new SpatialTransformer(store, constants, cfg, mid + "1", ch, cfg.transformerDepthMiddle()),
                new ResBlock(store, constants, cfg, mid + "2", ch, ch)));

        for (int level = cfg.levels() - 1; level >= 0; level--) {
            for (int r = 0; r <= cfg.numResBlocks(); r++) {
                String key = prefix + "output_blocks." + outputBlocks.size();
                long skip = skipChannels.remove(skipChannels.size() - 1);
                long out = cfg.channels(level);
                List<UNetLayer> layers = new ArrayList<>();
                layers.add(new ResBlock(store, constants, cfg, key + ".0", ch + skip, out));
                ch = out;
                if (cfg.hasAttention(level)) {
                    layers.add(new SpatialTransformer(store, constants, cfg, key + "." + layers.size(), ch,
                            cfg.transformerDepth(level)));
                }
                if (level != 0 && r == cfg.numResBlocks()) {
                    layers.add(new Upsample(store, key + "." + layers.size(), ch));
                }
                outputBlocks.add(new UNetBlock(layers));
            }
        }
        this.outNorm = new GroupNorm(store, constants, prefix + "out.0", cfg.normNumGroups(), ch, cfg.resblockNormEps());
        this.outConv = Conv2d.same(store, prefix + "out.2", ch, cfg.outChannels(), 3);
    }

    public UNetConfig config() {
        return config;
    }

    /** Epsilon prediction: x (B, in, H, W), timesteps (B), context (B, S, context_dim); no vector conditioning. */
    public NDArray forward(NDArray x, NDArray timesteps, NDArray context) {
        return forward(x, timesteps, context, null, UNetTrace.NONE);
    }

    public NDArray forward(NDArray x, NDArray timesteps, NDArray context, UNetTrace trace) {
        return forward(x, timesteps, context, null, trace);
    }

    /**
     * Epsilon prediction with the vector conditioning: y (B, adm_in_channels) for a UNet that has
     * {@code label_emb} (SDXL), null for one that has not.
     */
    public NDArray forward(NDArray x, NDArray timesteps, NDArray context, NDArray y, UNetTrace trace) {
        checkInputs(x, context, y);
        NDArray embSilu = Activations.silu(embedding(x, timesteps, y, trace));

        Deque<NDArray> skips = new ArrayDeque<>();
        NDArray h = x;
        for (int i = 0; i < inputBlocks.size(); i++) {
            h = inputBlocks.get(i).forward(h, embSilu, context);
            trace.record("input_blocks." + i, h);
            skips.push(h);
        }
        h = middleBlock.forward(h, embSilu, context);
        trace.record("middle_block", h);
        for (int i = 0; i < outputBlocks.size(); i++) {
            h = NDArrays.concat(new NDList(h, skips.pop()), 1); // current activation first, skip second
            h = outputBlocks.get(i).forward(h, embSilu, context);
            trace.record("output_blocks." + i, h);
        }
        return outConv.forward(Activations.silu(outNorm.forward(h)));
    }

    /**
     * The same prediction with gradient checkpointing (kohya's {@code gradient_checkpointing}): each
     * input block, the middle block, each output block (with its skip concat) and the output head
     * is one {@link CheckpointTape} segment, so only block boundaries are kept and each block is
     * recomputed during {@link CheckpointTape#backward}. The time embedding is tiny and recorded as usual.
     */
    public NDArray forward(NDArray x, NDArray timesteps, NDArray context, CheckpointTape tape) {
        return forward(x, timesteps, context, null, tape);
    }

    /** {@link #forward(NDArray, NDArray, NDArray, CheckpointTape)} with the vector conditioning y (or null). */
    public NDArray forward(NDArray x, NDArray timesteps, NDArray context, NDArray y, CheckpointTape tape) {
        checkInputs(x, context, y);
        NDArray embSilu = tape.shared(Activations.silu(embedding(x, timesteps, y, UNetTrace.NONE)));
        NDArray ctx = tape.shared(context);

        Deque<NDArray> skips = new ArrayDeque<>();
        NDArray h = x;
        for (UNetBlock block : inputBlocks) {
            h = tape.segment(List.of(h), in -> block.forward(in.get(0), embSilu, ctx));
            skips.push(h);
        }
        h = tape.segment(List.of(h), in -> middleBlock.forward(in.get(0), embSilu, ctx));
        for (UNetBlock block : outputBlocks) {
            h = tape.segment(List.of(h, skips.pop()),
                    in -> block.forward(NDArrays.concat(new NDList(in.get(0), in.get(1)), 1), embSilu, ctx));
        }
        return tape.segment(List.of(h), in -> outConv.forward(Activations.silu(outNorm.forward(in.get(0)))));
    }

    /** time_embed(t_emb) (+ label_emb(y)): what every ResBlock's emb_layers sees, before its SiLU. */
    private NDArray embedding(NDArray x, NDArray timesteps, NDArray y, UNetTrace trace) {
        long batch = x.getShape().get(0);
        NDArray tEmb = TimestepEmbedding.sinusoidal(timesteps, config.modelChannels(), batch, x.getManager());
        trace.record("t_emb", tEmb);
        NDArray emb = timeEmbed2.forward(Activations.silu(timeEmbed0.forward(tEmb)));
        if (labelEmbed0 != null) {
            trace.record("time_emb", emb);
            NDArray label = labelEmbed2.forward(Activations.silu(labelEmbed0.forward(y)));
            trace.record("label_emb", label);
            emb = emb.add(label);
        }
        trace.record("emb", emb);
        return emb;
    }

    private void checkInputs(NDArray x, NDArray context, NDArray y) {
        Shape xs = x.getShape();
        Shape cs = context.getShape();
        long down = 1L << (config.levels() - 1);
        if (xs.dimension() != 4 || xs.get(1) != config.inChannels() || xs.get(2) % down != 0 || xs.get(3) % down != 0) {
            throw new IllegalArgumentException("UNet latents: expected (B, " + config.inChannels() + ", H, W) with H and W "
                    + "multiples of " + down + ", found " + xs);
        }
        if (cs.dimension() != 3 || cs.get(0) != xs.get(0) || cs.get(2) != config.contextDim()) {
            throw new IllegalArgumentException("UNet context: expected (" + xs.get(0) + ", S, " + config.contextDim()
                    + "), found " + cs);
        }
        if (config.hasVectorConditioning() != (y != null)) {
            throw new IllegalArgumentException(config.hasVectorConditioning()
                    ? "UNet y: this UNet (SDXL) needs the vector conditioning y (" + xs.get(0) + ", " + config.admInChannels()
                            + "): pooled text embedding and size/crop embeddings"
                    : "UNet y: this UNet has no label_emb; pass no vector conditioning");
        }
        if (y != null && !y.getShape().equals(new Shape(xs.get(0), config.admInChannels()))) {
            throw new IllegalArgumentException("UNet y: expected (" + xs.get(0) + ", " + config.admInChannels()
                    + "), found " + y.getShape());
        }
    }

    /** input_blocks.0.0: the plain conv_in. */
    private record ConvIn(Conv2d conv) implements UNetLayer {
        @Override
        public NDArray forward(NDArray x, NDArray embSilu, NDArray context) {
            return conv.forward(x);
        }
    }
}
