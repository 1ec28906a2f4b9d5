package dev.bakehouse.tensor.sd;

import dev.bakehouse.tensor.DerivedTensorSource;
import dev.bakehouse.tensor.DerivedTensorSource.Copy;
import dev.bakehouse.tensor.DerivedTensorSource.Derivation;
import dev.bakehouse.tensor.TensorSource;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A single-file checkpoint as the model loads it, following AUTOMATIC1111: old text-encoder
 * spellings renamed ({@link LdmKeys#normalize}), and the UNet taken from the plain weights, or,
 * when asked, from the EMA copies ({@code model_ema.*}) where the file has them. Every other key
 * stays as it is; nothing is dropped. The view does not own the file: close the file yourself.
 */
public final class CheckpointView {
    private CheckpointView() {}

    /** Which UNet weights to use when a training checkpoint carries both. */
    public enum Weights {
        /** The plain {@code model.diffusion_model.*} weights (A1111's choice). */
        NON_EMA,
        /** {@code model_ema.*} copies in place of the UNet weights they shadow. */
        EMA
    }

    public static TensorSource of(TensorSource file, Weights weights) {
        Map<String, Derivation> out = new TreeMap<>();
        for (String key : file.names()) {
            out.put(LdmKeys.normalize(key), new Copy(file, key, null));
        }
        if (weights == Weights.EMA) {
            for (String key : file.names()) {
                if (key.startsWith(CheckpointComponent.UNET.prefix())) {
                    String ema = LdmKeys.emaKeyFor(key);
                    if (file.contains(ema)) {
                        out.put(key, new Copy(file, ema, null));
                    }
                }
            }
        }
        return new DerivedTensorSource(file.path(), out, file.metadata(), List.of());
    }
}
