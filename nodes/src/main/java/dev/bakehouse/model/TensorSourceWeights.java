package dev.bakehouse.model;

import dev.bakehouse.tensor.TensorFileException;
import dev.bakehouse.tensor.TensorSource;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Tensors (safetensors, .ckpt, a diffusers folder, through the tensor package) as a
 * {@link WeightSource}, key for key. Old key spellings and the EMA choice are the business of
 * {@link dev.bakehouse.tensor.sd.CheckpointView}, which {@link Checkpoints#load} puts in front.
 */
public final class TensorSourceWeights implements WeightSource {
    private final TensorSource source;
    private final Set<String> names;

    public TensorSourceWeights(TensorSource source) {
        this.source = source;
        this.names = Collections.unmodifiableSet(new LinkedHashSet<>(source.names()));
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
    public void readFloats(String name, ByteBuffer into) {
        try {
            source.readFloats(name, into);
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
