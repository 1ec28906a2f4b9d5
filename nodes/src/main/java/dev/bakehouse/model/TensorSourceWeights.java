package dev.bakehouse.model;

import dev.bakehouse.tensor.TensorFileException;
import dev.bakehouse.tensor.TensorSource;
import dev.bakehouse.tensor.sd.LdmKeys;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A checkpoint file (safetensors or .ckpt, through the tensor package) as a {@link WeightSource}.
 * Keys are offered in today's spelling ({@link LdmKeys#normalize}: old transformers files lack the
 * {@code text_model.} level), so such files load like any other.
 */
public final class TensorSourceWeights implements WeightSource {
    private final TensorSource source;
    /** Normalized key -> key in the file. */
    private final Map<String, String> fileKeys = new LinkedHashMap<>();

    public TensorSourceWeights(TensorSource source) {
        this.source = source;
        for (String key : source.names()) {
            fileKeys.putIfAbsent(LdmKeys.normalize(key), key);
        }
    }

    @Override
    public String description() {
        return String.valueOf(source.path());
    }

    @Override
    public Set<String> names() {
        return Collections.unmodifiableSet(fileKeys.keySet());
    }

    @Override
    public long[] shape(String name) {
        try {
            return source.info(fileKey(name)).shape();
        } catch (TensorFileException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public float[] readFloats(String name) {
        try {
            return source.readFloats(fileKey(name));
        } catch (TensorFileException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String fileKey(String name) {
        return fileKeys.getOrDefault(name, name);
    }
}
