package dev.bakehouse.model.tokenizer;

import dev.bakehouse.tensor.SafetensorsFile;
import dev.bakehouse.tensor.TensorFileException;
import dev.bakehouse.tensor.TensorFiles;
import dev.bakehouse.tensor.TensorInfo;
import dev.bakehouse.tensor.TensorSource;
import dev.bakehouse.tensor.ckpt.CkptFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Reads a textual-inversion embedding file, choosing its tensor as ComfyUI's {@code load_embed}
 * does. The format is told by the file's first bytes: safetensors, or a PyTorch pickle
 * ({@code .pt}/{@code .bin}) read by the safe unpickler, which refuses code, with nested dicts
 * flattened to dotted names ({@code string_to_param.*}).
 *
 * <p>Which tensor, first rule that applies:
 * <ol>
 *   <li>AUTOMATIC1111's {@code string_to_param} dict: its first entry (normally {@code *});</li>
 *   <li>{@value #CLIP_L}, the SD1 half of SDXL-style files (which also hold {@code clip_g});</li>
 *   <li>embeddings bundled in a LoRA file: every {@code bundle_emb.<name>.string_to_param.*},
 *       else every {@code bundle_emb.<name>.clip_l}, concatenated;</li>
 *   <li>otherwise the first tensor ({@code emb_params} of ComfyUI/A1111 safetensors files, the
 *       {@code <token>} entry of diffusers' {@code learned_embeds.bin}).</li>
 * </ol>
 * "First" is in sorted key order, the order {@code safetensors} hands ComfyUI the keys. For a
 * pickle ComfyUI takes Python's insertion order, which is not kept here; that differs only for a
 * file with several tensors and none of the keys above.
 * A vector is a tensor of shape [width]; [n, width] is n vectors.
 */
public final class TextualInversionReader {
    /** The key of the CLIP ViT-L vectors, the ones an SD1 text encoder takes. */
    public static final String CLIP_L = "clip_l";
    private static final String STRING_TO_PARAM = "string_to_param.";
    private static final String BUNDLE = "bundle_emb.";

    private TextualInversionReader() {}

    /**
     * @throws TensorFileException naming the file (and tensor) when it is unreadable, holds no
     *                             tensor, or its vectors are not floats of rank 1 or 2
     */
    public static TextualInversion read(Path file) throws IOException {
        try (TensorSource source = open(file)) {
            List<String> chosen = choose(source);
            float[] values = new float[0];
            int width = -1;
            for (String name : chosen) {
                TensorInfo info = source.info(name);
                long[] shape = info.shape();
                if (!info.dtype().isFloatingPoint() || shape.length < 1 || shape.length > 2 || info.numel() == 0) {
                    throw new TensorFileException(file, name, "an embedding is a float tensor of shape [width] or "
                            + "[vectors, width], found " + info.dtype() + " " + Arrays.toString(shape));
                }
                int w = Math.toIntExact(shape[shape.length - 1]);
                if (width >= 0 && w != width) {
                    throw new TensorFileException(file, name, "bundled embeddings have different widths: "
                            + width + " and " + w);
                }
                width = w;
                float[] more = source.readFloats(name);
                float[] joined = Arrays.copyOf(values, values.length + more.length);
                System.arraycopy(more, 0, joined, values.length, more.length);
                values = joined;
            }
            return new TextualInversion(file, String.join(", ", chosen), width, values);
        }
    }

    private static TensorSource open(Path file) throws TensorFileException {
        return switch (TensorFiles.detect(file)) {
            case SAFETENSORS -> SafetensorsFile.open(file);
            case CKPT -> CkptFile.openNested(file);
        };
    }

    private static List<String> choose(TensorSource source) throws TensorFileException {
        List<String> names = source.names();
        if (names.isEmpty()) {
            throw new TensorFileException(source.path(), null, "holds no tensor, so no embedding vectors "
                    + "(expected emb_params, string_to_param, clip_l or a single tensor)");
        }
        for (String name : names) {
            if (name.startsWith(STRING_TO_PARAM)) {
                return List.of(name);
            }
        }
        if (names.contains(CLIP_L)) {
            return List.of(CLIP_L);
        }
        for (String suffix : new String[] {".string_to_param.*", "." + CLIP_L}) {
            List<String> bundled = names.stream().filter(n -> n.startsWith(BUNDLE) && n.endsWith(suffix)).toList();
            if (!bundled.isEmpty()) {
                return bundled;
            }
        }
        return List.of(names.get(0));
    }
}
