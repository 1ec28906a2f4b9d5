package dev.bakehouse.node.sd;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.bakehouse.model.StableDiffusion;
import dev.bakehouse.model.conditioning.SdxlConditioner;
import dev.bakehouse.model.conditioning.SizeConditioning;
import dev.bakehouse.model.sampling.DiscreteSchedule;
import dev.bakehouse.model.sampling.EpsPredictor;
import dev.bakehouse.model.sampling.KSampler;
import dev.bakehouse.model.sampling.SamplerName;
import dev.bakehouse.model.sampling.SigmaScheduler;
import dev.bakehouse.model.sampling.UNetConditioning;
import dev.bakehouse.model.unet.UNetTrace;
import dev.bakehouse.node.DataType;
import dev.bakehouse.node.InputSpec.ComboInput;
import dev.bakehouse.node.InputSpec.FloatInput;
import dev.bakehouse.node.InputSpec.IntInput;
import dev.bakehouse.node.InputSpec.SocketInput;
import dev.bakehouse.node.Node;
import dev.bakehouse.node.NodeContext;
import dev.bakehouse.node.NodeInputs;
import dev.bakehouse.node.NodeResult;
import dev.bakehouse.node.NodeSpec;
import dev.bakehouse.node.OutputSpec;
import java.util.Arrays;
import java.util.List;

/**
 * ComfyUI's {@code KSampler} node with its exact inputs: denoises a latent with the model (its
 * LoRAs applied for the run), guided by the positive and negative conditioning. Progress is
 * reported per step with a preview ({@link LatentPreview}); an interrupt stops at the next step
 * boundary. Sampling itself is
 * {@link KSampler}; this node adds ComfyUI's latent scaling ({@code process_latent_in/out}: times
 * the VAE scale factor before, divided after).
 */
public final class KSamplerNode implements Node {
    public static final String NAME = "KSampler";
    /** SD 1.x/2.x epsilon models all train on this schedule. */
    private static final DiscreteSchedule SCHEDULE = DiscreteSchedule.sd15();

    private static final NodeSpec SPEC = NodeSpec.builder(NAME)
            .displayName("KSampler")
            .category("sampling")
            .description("Uses the provided model, positive and negative conditioning to denoise the latent image.")
            .required(
                    SocketInput.of("model", DataType.MODEL).withTooltip("The model used for denoising the input latent."),
                    IntInput.seed("seed").withTooltip("The random seed used for creating the noise."),
                    IntInput.of("steps", 20, 1, 10000).withTooltip("The number of steps used in the denoising process."),
                    FloatInput.of("cfg", 8.0, 0.0, 100.0).withStep(0.1).withRound(0.01)
                            .withTooltip("The Classifier-Free Guidance scale balances creativity and adherence to the "
                                    + "prompt. Higher values result in images more closely matching the prompt however "
                                    + "too high values will negatively impact quality."),
                    ComboInput.of("sampler_name", Arrays.stream(SamplerName.values()).map(SamplerName::comfyName).toList())
                            .withTooltip("The algorithm used when sampling, this can affect the quality, speed, and "
                                    + "style of the generated output."),
                    ComboInput.of("scheduler", Arrays.stream(SigmaScheduler.values()).map(SigmaScheduler::comfyName).toList())
                            .withTooltip("The scheduler controls how noise is gradually removed to form the image."),
                    SocketInput.of("positive", DataType.CONDITIONING)
                            .withTooltip("The conditioning describing the attributes you want to include in the image."),
                    SocketInput.of("negative", DataType.CONDITIONING)
                            .withTooltip("The conditioning describing the attributes you want to exclude from the image."),
                    SocketInput.of("latent_image", DataType.LATENT).withTooltip("The latent image to denoise."),
                    FloatInput.of("denoise", 1.0, 0.0, 1.0)
                            .withTooltip("The amount of denoising applied, lower values will maintain the structure "
                                    + "of the initial image allowing for image to image sampling."))
            .output(OutputSpec.of(DataType.LATENT).withTooltip("The denoised latent."))
            .build();

    @Override
    public NodeSpec spec() {
        return SPEC;
    }

    @Override
    public NodeResult execute(NodeInputs inputs, NodeContext ctx) {
        ModelValue model = inputs.get("model", ModelValue.class);
        Latent latent = inputs.get("latent_image", Latent.class);
        Conditioning positive = inputs.get("positive", Conditioning.class);
        Conditioning negative = inputs.get("negative", Conditioning.class);
        KSampler.Settings settings = new KSampler.Settings(inputs.getSeed("seed"), inputs.getInt("steps"), inputs.getDouble("cfg"),
                SamplerName.fromComfyName(inputs.getString("sampler_name")),
                SigmaScheduler.fromComfyName(inputs.getString("scheduler")), inputs.getDouble("denoise"));
        double[] sigmas = KSampler.sigmas(SCHEDULE, settings.scheduler(), settings.sampler(), settings.steps(),
                settings.denoise());
        if (sigmas.length < 2) {
            return NodeResult.of(latent); // nothing to denoise (denoise 0): ComfyUI returns the latent as it is
        }
        ctx.checkInterrupted();
        HostTensor samples = model.checkpoint().use(sd -> sample(sd, latent, positive, negative, settings, ctx));
        return NodeResult.of(new Latent(samples));
    }

    private static HostTensor sample(StableDiffusion sd, Latent latent, Conditioning positive, Conditioning negative,
            KSampler.Settings settings, NodeContext ctx) {
        // The interrupt check throws the executor's own exception, so the prompt ends as
        // interrupted (not failed) before the next step; progress() checks again after each.
        return sample(sd, latent, positive, negative, settings,
                (step, total, denoised) -> ctx.progress(step, total, LatentPreview.of(denoised)),
                () -> {
                    ctx.checkInterrupted();
                    return false;
                });
    }

    /**
     * What the node computes, on a model with its LoRAs already applied; also the sampling of
     * training samples ({@link TrainingSampleRenderer}), so both give the same latent.
     */
    static HostTensor sample(StableDiffusion sd, Latent latent, Conditioning positive, Conditioning negative,
            KSampler.Settings settings, dev.bakehouse.model.sampling.StepListener listener, java.util.function.BooleanSupplier interrupted) {
        double scale = sd.config().vae().scaleFactor();
        try (NDManager run = sd.manager().newSubManager()) {
            NDArray x = latent.samples().toNDArray(run).mul(scale);
            NDArray result = KSampler.sample(run, predictor(sd), SCHEDULE, x, unetConditioning(sd, positive, "positive", run),
                    unetConditioning(sd, negative, "negative", run), settings, KSampler.StepWindow.ALL, listener, interrupted);
            return HostTensor.of(result.div(scale));
        }
    }

    /** The model's UNet as the samplers call it, with or without SDXL's vector conditioning. */
    static EpsPredictor predictor(StableDiffusion sd) {
        return new EpsPredictor() {
            @Override
            public NDArray predictEps(NDArray xIn, NDArray timesteps, NDArray context) {
                return predictEps(xIn, timesteps, context, null);
            }

            @Override
            public NDArray predictEps(NDArray xIn, NDArray timesteps, NDArray context, NDArray y) {
                return sd.unet().forward(xIn, timesteps, context, y, UNetTrace.NONE);
            }
        };
    }

    /**
     * A CONDITIONING as the UNet takes it: SD1 the context; SDXL also y = cat(pooled_output, the
     * six size numbers embedded), the sizes defaulting as in ComfyUI's {@code SDXL.encode_adm}.
     */
    static UNetConditioning unetConditioning(StableDiffusion sd, Conditioning c, String input, NDManager run) {
        NDArray context = c.context().toNDArray(run);
        if (!sd.config().isSdxl()) {
            if (c.pooled() != null) {
                throw new IllegalArgumentException(input + ": an SDXL conditioning (with pooled_output) cannot guide an "
                        + "SD1.x model");
            }
            return UNetConditioning.of(context);
        }
        if (c.pooled() == null) {
            throw new IllegalArgumentException(input + ": the SDXL model needs a conditioning with pooled_output; encode "
                    + "the prompt with this checkpoint's CLIP (CLIPTextEncode or CLIPTextEncodeSDXL)");
        }
        NDArray pooled = c.pooled().toNDArray(run);
        List<SizeConditioning> sizes = java.util.Collections.nCopies((int) pooled.getShape().get(0), c.sizeOrDefault());
        return new UNetConditioning(context, new SdxlConditioner(sd).vector(pooled, sizes));
    }
}
