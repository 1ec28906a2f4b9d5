package dev.bakehouse.model;

import ai.djl.ndarray.NDManager;
import dev.bakehouse.model.clip.ClipTextModel;
import dev.bakehouse.model.clip.TextEncoderConfig;
import dev.bakehouse.model.nn.Constants;
import dev.bakehouse.model.nn.ParamStore;
import dev.bakehouse.model.unet.UNet2DCondition;
import dev.bakehouse.model.vae.AutoencoderKL;

/**
 * A loaded SD1.x/2.x/SDXL single-file checkpoint: UNet, text encoder(s) and VAE sharing one manager
 * that owns every weight. Close it to free the weights. Forward passes run in the caller's (child)
 * manager: every input array's manager receives the results.
 */
public final class StableDiffusion implements AutoCloseable {
    private final ModelConfig config;
    private final ComputeDevice device;
    private final NDManager manager;
    private final ParamStore params;
    private final UNet2DCondition unet;
    private final ClipTextModel textEncoder;
    private final ClipTextModel textEncoder2;
    private final AutoencoderKL vae;

    private StableDiffusion(ModelConfig config, ComputeDevice device, NDManager manager) {
        this.config = config;
        this.device = device;
        this.manager = manager;
        this.params = new ParamStore(manager);
        Constants constants = new Constants(manager);
        this.unet = new UNet2DCondition(params, constants, config.unet(), UNet2DCondition.PREFIX);
        if (config.isSdxl()) {
            this.textEncoder = new ClipTextModel(params, constants, config.text(), ClipTextModel.SDXL_TE1_PREFIX);
            this.textEncoder2 = new ClipTextModel(params, constants, config.textEncoders().get(1), ClipTextModel.SDXL_TE2_PREFIX);
        } else {
            String prefix = config.text().layout() == TextEncoderConfig.Layout.OPEN_CLIP
                    ? ClipTextModel.SD2_PREFIX : ClipTextModel.PREFIX;
            this.textEncoder = new ClipTextModel(params, constants, config.text(), prefix);
            this.textEncoder2 = null;
        }
        this.vae = new AutoencoderKL(params, constants, config.vae(), AutoencoderKL.PREFIX);
    }

    /**
     * Builds the architecture from {@code config} and loads every weight from {@code weights}
     * (float32 on {@code device}). Keys the model does not use (schedule buffers, position_ids,
     * EMA copies) are ignored.
     *
     * @throws CheckpointMismatchException naming every missing or mis-shaped key
     */
    public static StableDiffusion load(WeightSource weights, ModelConfig config, ComputeDevice device) {
        NDManager manager = NDManager.newBaseManager(device.toDjl());
        manager.setName("checkpoint " + weights.description());
        try {
            StableDiffusion model = new StableDiffusion(config, device, manager);
            model.params.load(weights);
            return model;
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /**
     * Every weight the architecture of {@code config} reads, by checkpoint key, with its shape, in
     * declaration order; nothing is allocated (key-list checks against published checkpoints).
     */
    public static java.util.Map<String, long[]> declaredWeights(ModelConfig config) {
        try (NDManager manager = NDManager.newBaseManager(ComputeDevice.CPU.toDjl())) {
            StableDiffusion declared = new StableDiffusion(config, ComputeDevice.CPU, manager);
            java.util.Map<String, long[]> out = new java.util.LinkedHashMap<>();
            declared.params.params().forEach((key, p) -> out.put(key, p.shape().getShape()));
            return out;
        }
    }

    public ModelConfig config() {
        return config;
    }

    public ComputeDevice device() {
        return device;
    }

    /** The model's long-lived manager (weights, fused weights, constants). */
    public NDManager manager() {
        return manager;
    }

    /** Every weight by checkpoint key, for patchers (LoRA) and savers. */
    public ParamStore params() {
        return params;
    }

    public UNet2DCondition unet() {
        return unet;
    }

    /** The (first) text encoder: SD1's CLIP, SDXL's CLIP-L ({@code conditioner.embedders.0}). */
    public ClipTextModel textEncoder() {
        return textEncoder;
    }

    /** SDXL's second text encoder, OpenCLIP bigG ({@code conditioner.embedders.1}); fails for SD1. */
    public ClipTextModel textEncoder2() {
        if (textEncoder2 == null) {
            throw new IllegalStateException("this model has one text encoder (not SDXL)");
        }
        return textEncoder2;
    }

    public AutoencoderKL vae() {
        return vae;
    }

    @Override
    public void close() {
        manager.close();
    }
}
