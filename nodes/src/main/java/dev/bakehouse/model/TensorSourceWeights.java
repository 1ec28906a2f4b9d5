package dev.bakehouse.model;

import dev.bakehouse.tensor.TensorFileException;
import dev.bakehouse.tensor.TensorSource;
import java.io.UncheckedIOException;
import java.util.LinkedHashSet;
import java.util.Set;

/** A checkpoint file (safetensors or .ckpt, through the tensor package) as a {@link WeightSource}. */
public final class TensorSourceWeights implements WeightSource {
    private final TensorSource source;
    private final Set<String> names;

    public TensorSourceWeights(TensorSource source) {
        this.source = source;
        this.names = java.util.Collections.unmodifiableSet(new LinkedHashSet<>(source.names()));
    }

    @Override
    public String description() {
        return String.valueOf(source.path());
    }

    @Override
    public Set<String> names() {
        return names;
    }

    @Override
    public long[] shape(String name) {
        try {
            return source.info(name).shape();
        } catch (TensorFileException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public float[] readFloats(String name) {
        try {
            return source.readFloats(name);
        } catch (TensorFileException e) {
            throw new UncheckedIOException(e);
        }
    }
}
