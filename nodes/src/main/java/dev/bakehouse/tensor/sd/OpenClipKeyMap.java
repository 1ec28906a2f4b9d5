package dev.bakehouse.tensor.sd;

import dev.bakehouse.tensor.DerivedTensorSource;
import dev.bakehouse.tensor.DerivedTensorSource.Concat;
import dev.bakehouse.tensor.DerivedTensorSource.Copy;
import dev.bakehouse.tensor.DerivedTensorSource.Rows;
import dev.bakehouse.tensor.DerivedTensorSource.Transpose;
import dev.bakehouse.tensor.TensorFileException;
import dev.bakehouse.tensor.TensorSource;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Converts an OpenCLIP text tower (SD2's text encoder, SDXL's second one) between its LDM layout
 * ({@code transformer.resblocks.N.attn.in_proj_weight} holding q, k and v stacked,
 * {@code text_projection} as [hidden, proj]) and the transformers CLIP layout diffusers saves
 * ({@code text_model.encoder.layers.N.self_attn.q_proj.weight}, {@code text_projection.weight}
 * as [proj, hidden]).
 */
public final class OpenClipKeyMap {
    private OpenClipKeyMap() {}

    private static final Pattern HF_LAYER = Pattern.compile("text_model\\.encoder\\.layers\\.(\\d+)\\.(.+)");
    private static final Pattern OC_LAYER = Pattern.compile("transformer\\.resblocks\\.(\\d+)\\.(.+)");

    /** Per-layer names: {HF suffix, OpenCLIP suffix}, besides the fused q/k/v. */
    private static final String[][] LAYER = {
        {"self_attn.out_proj.weight", "attn.out_proj.weight"}, {"self_attn.out_proj.bias", "attn.out_proj.bias"},
        {"layer_norm1.weight", "ln_1.weight"}, {"layer_norm1.bias", "ln_1.bias"},
        {"layer_norm2.weight", "ln_2.weight"}, {"layer_norm2.bias", "ln_2.bias"},
        {"mlp.fc1.weight", "mlp.c_fc.weight"}, {"mlp.fc1.bias", "mlp.c_fc.bias"},
        {"mlp.fc2.weight", "mlp.c_proj.weight"}, {"mlp.fc2.bias", "mlp.c_proj.bias"},
    };
    private static final String[][] TOP = {
        {"text_model.embeddings.token_embedding.weight", "token_embedding.weight"},
        {"text_model.embeddings.position_embedding.weight", "positional_embedding"},
        {"text_model.final_layer_norm.weight", "ln_final.weight"},
        {"text_model.final_layer_norm.bias", "ln_final.bias"},
    };

    /**
     * Adds to {@code out} the OpenCLIP-named derivations of a transformers-layout encoder, under
     * {@code ldmPrefix}; returns the source keys it could not place (e.g. {@code position_ids}).
     */
    public static List<String> fromHf(TensorSource hf, String ldmPrefix, Map<String, DerivedTensorSource.Derivation> out) {
        Set<String> used = new java.util.HashSet<>();
        for (String[] t : TOP) {
            if (hf.contains(t[0])) {
                out.put(ldmPrefix + t[1], new Copy(hf, t[0], null));
                used.add(t[0]);
            }
        }
        if (hf.contains("text_projection.weight")) {
            out.put(ldmPrefix + "text_projection", new Transpose(hf, "text_projection.weight"));
            used.add("text_projection.weight");
        }
        for (String key : hf.names()) {
            Matcher m = HF_LAYER.matcher(key);
            if (!m.matches()) {
                continue;
            }
            String layer = ldmPrefix + "transformer.resblocks." + m.group(1) + ".";
            String rest = m.group(2);
            for (String[] p : LAYER) {
                if (rest.equals(p[0])) {
                    out.put(layer + p[1], new Copy(hf, key, null));
                    used.add(key);
                }
            }
            for (String kind : new String[] {"weight", "bias"}) {
                if (rest.equals("self_attn.q_proj." + kind)) {
                    String base = "text_model.encoder.layers." + m.group(1) + ".self_attn.";
                    List<String> qkv = List.of(base + "q_proj." + kind, base + "k_proj." + kind, base + "v_proj." + kind);
                    if (qkv.stream().allMatch(hf::contains)) {
                        out.put(layer + "attn.in_proj_" + kind, new Concat(hf, qkv));
                        used.addAll(qkv);
                    }
                }
            }
        }
        return hf.names().stream().filter(k -> !used.contains(k)).toList();
    }

    /**
     * Adds to {@code out} the transformers-named derivations of the OpenCLIP tensors under
     * {@code ldmPrefix} in {@code ldm}; returns the LDM keys it could not place (e.g. {@code logit_scale}).
     */
    public static List<String> toHf(TensorSource ldm, String ldmPrefix, Map<String, DerivedTensorSource.Derivation> out)
            throws TensorFileException {
        List<String> unplaced = new java.util.ArrayList<>();
        for (String key : ldm.names()) {
            if (!key.startsWith(ldmPrefix)) {
                continue;
            }
            String rest = key.substring(ldmPrefix.length());
            String hf = top(rest);
            if (hf != null) {
                out.put(hf, new Copy(ldm, key, null));
                continue;
            }
            if (rest.equals("text_projection")) {
                out.put("text_projection.weight", new Transpose(ldm, key));
                continue;
            }
            Matcher m = OC_LAYER.matcher(rest);
            if (m.matches()) {
                String layer = "text_model.encoder.layers." + m.group(1) + ".";
                String suffix = m.group(2);
                if (suffix.equals("attn.in_proj_weight") || suffix.equals("attn.in_proj_bias")) {
                    String kind = suffix.endsWith("weight") ? "weight" : "bias";
                    long rows = ldm.info(key).dim(0) / 3;
                    String[] names = {"q_proj.", "k_proj.", "v_proj."};
                    for (int i = 0; i < 3; i++) {
                        out.put(layer + "self_attn." + names[i] + kind, new Rows(ldm, key, i * rows, (i + 1) * rows));
                    }
                    continue;
                }
                String mapped = layerToHf(suffix);
                if (mapped != null) {
                    out.put(layer + mapped, new Copy(ldm, key, null));
                    continue;
                }
            }
            unplaced.add(key);
        }
        return unplaced;
    }

    private static String top(String openClipKey) {
        for (String[] t : TOP) {
            if (t[1].equals(openClipKey)) {
                return t[0];
            }
        }
        return null;
    }

    private static String layerToHf(String openClipSuffix) {
        for (String[] p : LAYER) {
            if (p[1].equals(openClipSuffix)) {
                return p[0];
            }
        }
        return null;
    }
}
