package dev.bakehouse.model.vae;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDArray;
import dev.bakehouse.model.nn.Constants;
import dev.bakehouse.model.nn.Conv2d;
import dev.bakehouse.model.nn.ParamStore;

/**
 * LDM AutoencoderKL, weights under {@code prefix} (normally {@code first_stage_model.}). Neither
 * {@link #encode} nor {@link #decode} applies {@link VaeConfig#scaleFactor()}: pipelines divide
 * sampled latents by it before decoding and multiply encoder means by it.
 */
public final class AutoencoderKL {
    public static final String PREFIX = "first_stage_model.";

    private final VaeConfig config;
    private final VaeEncoder encoder;
    private final VaeDecoder decoder;
    private final Conv2d quantConv;
    private final Conv2d postQuantConv;

    public AutoencoderKL(ParamStore store, Constants constants, VaeConfig cfg, String prefix) {
        this.config = cfg;
        this.encoder = new VaeEncoder(store, constants, cfg, prefix + "encoder");
        this.decoder = new VaeDecoder(store, constants, cfg, prefix + "decoder");
        this.quantConv = Conv2d.same(store, prefix + "quant_conv", 2L * cfg.zChannels(), 2L * cfg.embedDim(), 1);
        this.postQuantConv = Conv2d.same(store, prefix + "post_quant_conv", cfg.embedDim(), cfg.zChannels(), 1);
    }

    public VaeConfig config() {
        return config;
    }

    /** x (B, 3, H, W) in [-1, 1]; H and W multiples of the downscale factor. */
    public VaePosterior encode(NDArray x) {
        long f = config.downscaleFactor();
        if (x.getShape().get(2) % f != 0 || x.getShape().get(3) % f != 0) {
            throw new IllegalArgumentException("VAE encode: image " + x.getShape() + " is not a multiple of " + f);
        }
        NDArray moments = quantConv.forward(encoder.forward(x));
        NDList halves = moments.split(2, 1);
        return new VaePosterior(moments, halves.get(0), halves.get(1).clip(-30.0f, 20.0f));
    }

    /** z (B, embed_dim, h, w) used as-is -> raw image (B, 3, h*f, w*f), not clamped. */
    public NDArray decode(NDArray z) {
        return decoder.forward(postQuantConv.forward(z));
    }

    /**
     * Pipeline latents (scaled by {@link VaeConfig#scaleFactor()}, ComfyUI's LATENT) to images as
     * ComfyUI's IMAGE holds them: (B, H, W, 3), values clamped to [0, 1].
     */
    public NDArray decodeToImage(NDArray latents) {
        NDArray raw = decode(latents.div((float) config.scaleFactor()));
        return raw.add(1f).div(2f).clip(0f, 1f).transpose(0, 2, 3, 1);
    }

    /** Images (B, H, W, 3) in [0, 1] to pipeline latents: the posterior mean times the scale factor. */
    public NDArray encodeImage(NDArray image) {
        NDArray x = image.transpose(0, 3, 1, 2).mul(2f).sub(1f);
        return encode(x).mean().mul((float) config.scaleFactor());
    }
}
