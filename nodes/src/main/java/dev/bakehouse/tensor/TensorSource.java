package dev.bakehouse.tensor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Named tensors read from one file (a safetensors file or a {@code .ckpt}). Tensors are read
 * lazily, by key; every failure is a {@link TensorFileException} naming the file and key.
 */
public interface TensorSource extends AutoCloseable {

    Path path();

    /** Tensor keys, sorted. */
    List<String> names();

    boolean contains(String name);

    /** Dtype, shape and location of one tensor. */
    TensorInfo info(String name) throws TensorFileException;

    /** String metadata ({@code __metadata__} of a safetensors file; empty for a .ckpt). */
    Map<String, String> metadata();

    /** Raw little-endian bytes of a contiguous tensor, read-only. */
    ByteBuffer view(String name) throws TensorFileException;

    byte[] readBytes(String name) throws TensorFileException;

    /** Values as floats: narrow floats widened exactly, F64 and integers to the nearest float. */
    float[] readFloats(String name) throws TensorFileException;

    /** Values of an integer or BOOL tensor, exactly. */
    long[] readLongs(String name) throws TensorFileException;

    @Override
    void close() throws IOException;
}
