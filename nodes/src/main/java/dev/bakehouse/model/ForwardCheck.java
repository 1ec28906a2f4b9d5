package dev.bakehouse.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.bakehouse.model.clip.TextEncoderOutput;
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
 * through a loaded model and writes the outputs under the conformance fixture's tensor names, so a
 * user can compare their checkpoint against any reference implementation.
 *
 * <ul>
 *   <li>{@code text_ids} -> {@code text_last}, {@code text_penultimate_ln}, {@code text_pooled}
 *   <li>{@code latents} + {@code timesteps} + {@code context} -> {@code eps}
 *   <li>{@code vae_z} -> {@code vae_decoded} (z used as-is)
 *   <li>{@code vae_x} -> {@code vae_mean}, {@code vae_logvar}
 * </ul>
 */
public final class ForwardCheck {
    /** An input group: the names it needs, all or none present. */
    private enum Group {
        TEXT("text_ids"),
        UNET("latents", "timesteps", "context"),
        VAE_DECODE("vae_z"),
        VAE_ENCODE("vae_x");

        final List<String> inputs;

        Group(String... inputs) {
            this.inputs = List.of(inputs);
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
        List<Group> groups = presentGroups(inputs);
        Map<String, NDArray> results = new LinkedHashMap<>();
        try (NDManager step = model.manager().newSubManager()) {
            for (Group g : groups) {
                switch (g) {
                    case TEXT -> {
                        TextEncoderOutput out = model.textEncoder().forward(read(step, inputs, "text_ids", true));
                        results.put("text_last", out.lastHiddenState());
                        results.put("text_penultimate_ln", model.textEncoder().withClipSkip(out, 2));
                        results.put("text_pooled", out.pooled());
                    }
                    case UNET -> results.put("eps", model.unet().forward(read(step, inputs, "latents", false),
                            read(step, inputs, "timesteps", false), read(step, inputs, "context", false)));
                    case VAE_DECODE -> results.put("vae_decoded", model.vae().decode(read(step, inputs, "vae_z", false)));
                    case VAE_ENCODE -> {
                        VaePosterior p = model.vae().encode(read(step, inputs, "vae_x", false));
                        results.put("vae_mean", p.mean());
                        results.put("vae_logvar", p.logvar());
                    }
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

    private static List<Group> presentGroups(TensorSource inputs) {
        List<Group> present = new ArrayList<>();
        for (Group g : Group.values()) {
            List<String> missing = g.inputs.stream().filter(n -> !inputs.contains(n)).toList();
            if (missing.size() == g.inputs.size()) {
                continue;
            }
            if (!missing.isEmpty()) {
                throw new IllegalArgumentException("inputs " + inputs.path() + ": missing input '" + missing.get(0) + "'"
                        + (missing.size() > 1 ? " (and " + missing.subList(1, missing.size()) + ")" : "")
                        + " — the group " + g.inputs + " needs all of them");
            }
            present.add(g);
        }
        if (present.isEmpty()) {
            throw new IllegalArgumentException("inputs " + inputs.path() + ": no input group found; expected text_ids, "
                    + "latents+timesteps+context, vae_z or vae_x");
        }
        return present;
    }

    private static NDArray read(NDManager manager, TensorSource inputs, String name, boolean integer) throws TensorFileException {
        TensorInfo info = inputs.info(name);
        Shape shape = new Shape(info.shape());
        if (integer) {
            if (info.dtype().isFloatingPoint()) {
                throw new IllegalArgumentException("inputs " + inputs.path() + ": '" + name + "' must be an integer tensor, found " + info.dtype());
            }
            return manager.create(inputs.readLongs(name), shape);
        }
        return manager.create(inputs.readFloats(name), shape);
    }
}
