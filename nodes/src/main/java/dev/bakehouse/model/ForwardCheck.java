package dev.bakehouse.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.bakehouse.model.clip.ClipTextModel;
import dev.bakehouse.model.clip.TextEncoderOutput;
import dev.bakehouse.model.conditioning.SdxlConditioner;
import dev.bakehouse.model.conditioning.SizeConditioning;
import dev.bakehouse.model.unet.UNetTrace;
import dev.bakehouse.model.vae.VaePosterior;
import dev.bakehouse.tensor.DType;
import dev.bakehouse.tensor.SafetensorsWriter;
import dev.bakehouse.tensor.TensorFileException;
import dev.bakehouse.tensor.TensorInfo;
import dev.bakehouse.tensor.TensorSource;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The self-check behind {@code bakehouse forward}: runs each input group found in an inputs file
 * through a loaded model and writes the outputs under the conformance fixtures' tensor names, so a
 * user can compare their checkpoint against any reference implementation.
 *
 * <p>SD1.x ({@code sd15-tiny} names):
 * <ul>
 *   <li>{@code text_ids} -> {@code text_last}, {@code text_penultimate_ln}, {@code text_pooled}
 *   <li>{@code latents} + {@code timesteps} + {@code context} -> {@code eps}
 *   <li>{@code vae_z} -> {@code vae_decoded} (z used as-is)
 *   <li>{@code vae_x} -> {@code vae_mean}, {@code vae_logvar}
 * </ul>
 * SDXL ({@code sdxl-tiny} names):
 * <ul>
 *   <li>{@code te1_ids} -> {@code te1_hidden_states.N}, {@code te1_last}, {@code te1_pooled}, {@code te1_sdxl}
 *   <li>{@code te2_ids} -> {@code te2_hidden_states.N}, {@code te2_last_ln}, {@code te2_penultimate},
 *       {@code te2_pooled_pre}, {@code te2_pooled}; {@code te2_ids_padeos} -> the same {@code *_padeos}
 *   <li>both ids + {@code original_size}, {@code crop_coords_top_left}, {@code target_size} ->
 *       {@code time_ids}, {@code time_ids_emb}, {@code text_context}, {@code text_y}, {@code uncond_y_zero};
 *       with {@code latents} + {@code timesteps} also {@code eps_from_text}, {@code eps_uncond_zero}
 *   <li>{@code latents} + {@code timesteps} + {@code context} + {@code y} -> {@code eps}
 *   <li>{@code vae_z} -> {@code vae_decoded}; {@code vae_unet_latent} -> {@code vae_decoded_unscaled_latent};
 *       {@code vae_x} -> {@code vae_moments}, {@code vae_mean}, {@code vae_logvar}, {@code vae_mean_scaled}
 * </ul>
 */
public final class ForwardCheck {
    private static final List<String> SIZES = List.of("original_size", "crop_coords_top_left", "target_size");

    /**
     * An input group: computed when all its inputs are present; when one of its {@code triggers} is
     * present but another input is not, the check fails naming it.
     */
    private enum Group {
        TEXT(false, List.of("text_ids")),
        UNET(false, List.of("latents", "timesteps", "context")),
        VAE_DECODE(false, List.of("vae_z")),
        VAE_ENCODE(false, List.of("vae_x")),
        SDXL_TE1(true, List.of("te1_ids")),
        SDXL_TE2(true, List.of("te2_ids")),
        SDXL_TE2_PADEOS(true, List.of("te2_ids_padeos")),
        SDXL_CONDITIONING(true, concat(List.of("te1_ids", "te2_ids"), SIZES), SIZES),
        SDXL_UNET(true, List.of("latents", "timesteps", "context", "y"), List.of("context", "y")),
        SDXL_UNET_FROM_TEXT(true, concat(List.of("latents", "timesteps", "te1_ids", "te2_ids"), SIZES), List.of()),
        SDXL_VAE_DECODE(true, List.of("vae_z")),
        SDXL_VAE_DECODE_UNSCALED(true, List.of("vae_unet_latent")),
        SDXL_VAE_ENCODE(true, List.of("vae_x"));

        final boolean sdxl;
        final List<String> inputs;
        final List<String> triggers;

        Group(boolean sdxl, List<String> inputs) {
            this(sdxl, inputs, inputs);
        }

        Group(boolean sdxl, List<String> inputs, List<String> triggers) {
            this.sdxl = sdxl;
            this.inputs = inputs;
            this.triggers = triggers;
        }

        private static List<String> concat(List<String> a, List<String> b) {
            List<String> out = new ArrayList<>(a);
            out.addAll(b);
            return List.copyOf(out);
        }
    }

    private ForwardCheck() {}

    /**
     * Computes every present group and writes all outputs (F32) to {@code output} atomically.
     *
     * @return the names written, in order
     * @throws IllegalArgumentException when a group is only partly present (naming the missing
     *         input) or when no group is present at all
     */
    public static List<String> run(StableDiffusion model, TensorSource inputs, Path output) throws TensorFileException {
        List<Group> groups = presentGroups(inputs, model.config().isSdxl());
        Map<String, NDArray> results = new LinkedHashMap<>();
        try (NDManager step = model.manager().newSubManager()) {
            Inputs in = new Inputs(step, inputs);
            for (Group g : groups) {
                if (g.sdxl) {
                    sdxl(g, model, in, results);
                } else {
                    sd1(g, model, in, results);
                }
            }
            SafetensorsWriter writer = new SafetensorsWriter().metadata("bakehouse.forward.inputs", String.valueOf(inputs.path()));
            for (var e : results.entrySet()) {
                NDArray a = e.getValue().toType(DataType.FLOAT32, false);
                writer.addFloats(e.getKey(), DType.F32, a.getShape().getShape(), a.toFloatArray());
            }
            writer.write(output);
        }
        return List.copyOf(results.keySet());
    }

    private static void sd1(Group g, StableDiffusion model, Inputs in, Map<String, NDArray> results) throws TensorFileException {
        switch (g) {
            case TEXT -> {
                TextEncoderOutput out = model.textEncoder().forward(in.ids("text_ids"));
                results.put("text_last", out.lastHiddenState());
                results.put("text_penultimate_ln", model.textEncoder().withClipSkip(out, 2));
                results.put("text_pooled", out.pooled());
            }
            case UNET -> results.put("eps", model.unet().forward(in.floats("latents"), in.floats("timesteps"),
                    in.floats("context")));
            case VAE_DECODE -> results.put("vae_decoded", model.vae().decode(in.floats("vae_z")));
            case VAE_ENCODE -> {
                VaePosterior p = model.vae().encode(in.floats("vae_x"));
                results.put("vae_mean", p.mean());
                results.put("vae_logvar", p.logvar());
            }
            default -> throw new IllegalStateException(g + " is an SDXL group");
        }
    }

    private static void sdxl(Group g, StableDiffusion model, Inputs in, Map<String, NDArray> results) throws TensorFileException {
        float scale = (float) model.config().vae().scaleFactor();
        switch (g) {
            case SDXL_TE1 -> {
                TextEncoderOutput out = model.textEncoder().forward(in.ids("te1_ids"));
                putHiddenStates("te1_hidden_states.", out, results);
                results.put("te1_last", out.lastHiddenState());
                results.put("te1_pooled", out.pooled());
                results.put("te1_sdxl", ClipTextModel.penultimate(out));
            }
            case SDXL_TE2 -> {
                TextEncoderOutput out = model.textEncoder2().forward(in.ids("te2_ids"));
                putHiddenStates("te2_hidden_states.", out, results);
                results.put("te2_last_ln", out.lastHiddenState());
                results.put("te2_penultimate", ClipTextModel.penultimate(out));
                results.put("te2_pooled_pre", out.pooled());
                results.put("te2_pooled", model.textEncoder2().projectedPooled(out));
            }
            case SDXL_TE2_PADEOS -> {
                TextEncoderOutput out = model.textEncoder2().forward(in.ids("te2_ids_padeos"));
                results.put("te2_penultimate_padeos", ClipTextModel.penultimate(out));
                results.put("te2_pooled_padeos", model.textEncoder2().projectedPooled(out));
            }
            case SDXL_CONDITIONING -> {
                SdxlConditioner conditioner = new SdxlConditioner(model);
                List<SizeConditioning> sizes = in.sizes();
                long[] timeIds = sizes.stream().flatMapToLong(s -> java.util.Arrays.stream(s.timeIds())).toArray();
                results.put("time_ids", in.manager.create(timeIds, new Shape(sizes.size(), SizeConditioning.COUNT))
                        .toType(DataType.FLOAT32, false));
                results.put("time_ids_emb", SizeConditioning.embed(sizes, conditioner.sizeEmbeddingDim(), in.manager));
                SdxlConditioner.Text text = conditioner.encode(in.ids("te1_ids"), in.ids("te2_ids"));
                results.put("text_context", text.context());
                results.put("text_y", conditioner.vector(text.pooled(), sizes));
                results.put("uncond_y_zero", conditioner.vector(text.pooled().zerosLike(), sizes));
            }
            case SDXL_UNET -> results.put("eps", model.unet().forward(in.floats("latents"), in.floats("timesteps"),
                    in.floats("context"), in.floats("y"), UNetTrace.NONE));
            case SDXL_UNET_FROM_TEXT -> {
                SdxlConditioner conditioner = new SdxlConditioner(model);
                SdxlConditioner.Text text = conditioner.encode(in.ids("te1_ids"), in.ids("te2_ids"));
                List<SizeConditioning> sizes = in.sizes();
                NDArray latents = in.floats("latents");
                NDArray timesteps = in.floats("timesteps");
                results.put("eps_from_text", model.unet().forward(latents, timesteps, text.context(),
                        conditioner.vector(text.pooled(), sizes), UNetTrace.NONE));
                // diffusers' force_zeros_for_empty_prompt negative: zero context and pooled, sizes kept
                results.put("eps_uncond_zero", model.unet().forward(latents, timesteps, text.context().zerosLike(),
                        conditioner.vector(text.pooled().zerosLike(), sizes), UNetTrace.NONE));
            }
            case SDXL_VAE_DECODE -> results.put("vae_decoded", model.vae().decode(in.floats("vae_z")));
            case SDXL_VAE_DECODE_UNSCALED -> results.put("vae_decoded_unscaled_latent",
                    model.vae().decode(in.floats("vae_unet_latent").div(scale)));
            case SDXL_VAE_ENCODE -> {
                VaePosterior p = model.vae().encode(in.floats("vae_x"));
                results.put("vae_moments", p.moments());
                results.put("vae_mean", p.mean());
                results.put("vae_logvar", p.logvar());
                results.put("vae_mean_scaled", p.mean().mul(scale));
            }
            default -> throw new IllegalStateException(g + " is an SD1 group");
        }
    }

    private static void putHiddenStates(String prefix, TextEncoderOutput out, Map<String, NDArray> results) {
        for (int i = 0; i < out.hiddenStates().size(); i++) {
            results.put(prefix + i, out.hiddenStates().get(i));
        }
    }

    private static List<Group> presentGroups(TensorSource inputs, boolean sdxl) {
        List<Group> present = new ArrayList<>();
        for (Group g : Group.values()) {
            if (g.sdxl != sdxl) {
                continue;
            }
            List<String> missing = g.inputs.stream().filter(n -> !inputs.contains(n)).toList();
            if (missing.isEmpty()) {
                present.add(g);
            } else if (g.triggers.stream().anyMatch(inputs::contains)) {
                throw new IllegalArgumentException("inputs " + inputs.path() + ": missing input '" + missing.get(0) + "'"
                        + (missing.size() > 1 ? " (and " + missing.subList(1, missing.size()) + ")" : "")
                        + " — the group " + g.inputs + " needs all of them");
            }
        }
        if (present.isEmpty()) {
            throw new IllegalArgumentException("inputs " + inputs.path() + ": no input group found; expected "
                    + (sdxl ? "te1_ids, te2_ids, latents+timesteps+context+y, vae_z, vae_unet_latent or vae_x (SDXL)"
                            : "text_ids, latents+timesteps+context, vae_z or vae_x"));
        }
        return present;
    }

    /** Reads named inputs into the step manager, checking integer ids. */
    private record Inputs(NDManager manager, TensorSource source) {
        NDArray ids(String name) throws TensorFileException {
            TensorInfo info = source.info(name);
            if (info.dtype().isFloatingPoint()) {
                throw new IllegalArgumentException("inputs " + source.path() + ": '" + name + "' must be an integer tensor, found "
                        + info.dtype());
            }
            return manager.create(source.readLongs(name), new Shape(info.shape()));
        }

        NDArray floats(String name) throws TensorFileException {
            return manager.create(source.readFloats(name), new Shape(source.info(name).shape()));
        }

        List<SizeConditioning> sizes() throws TensorFileException {
            return SizeConditioning.rows(ids(SIZES.get(0)).toLongArray(), ids(SIZES.get(1)).toLongArray(),
                    ids(SIZES.get(2)).toLongArray());
        }
    }
}
