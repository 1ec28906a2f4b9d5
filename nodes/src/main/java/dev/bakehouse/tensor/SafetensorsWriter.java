package dev.bakehouse.tensor;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bakehouse.io.AtomicFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Collects tensors and writes one safetensors file, byte for byte as the reference
 * implementation lays it out: tensors ordered by dtype (widest alignment first, see
 * {@link DType#writeOrderRank}) then by key, compact JSON header with {@code __metadata__} first,
 * space-padded so the data section starts on an 8-byte boundary. The file is written to a temp
 * file beside the target and moved into place, so a reader never sees half a file.
 *
 * <p>Tensor bytes may be given now ({@link #add}) or fetched at write time ({@link #copyFrom}),
 * so a 7 GB checkpoint can be re-written without holding it in memory.
 */
public final class SafetensorsWriter {

    /** Supplies a tensor's little-endian bytes when the file is written. */
    @FunctionalInterface
    public interface Bytes {
        ByteBuffer get() throws IOException;
    }

    private record Entry(DType dtype, long[] shape, long byteLength, Bytes bytes) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, Entry> entries = new TreeMap<>();
    private final Map<String, String> metadata = new LinkedHashMap<>();

    /** Adds one {@code __metadata__} entry. */
    public SafetensorsWriter metadata(String key, String value) {
        metadata.put(key, value);
        return this;
    }

    public SafetensorsWriter metadata(Map<String, String> entries) {
        metadata.putAll(entries);
        return this;
    }

    /** Adds a tensor from raw little-endian bytes (all remaining bytes of {@code data}). */
    public SafetensorsWriter add(String name, DType dtype, long[] shape, ByteBuffer data) {
        ByteBuffer copy = data.duplicate();
        long expected = byteLength(name, dtype, shape);
        if (copy.remaining() != expected) {
            throw new IllegalArgumentException("tensor '" + name + "': " + copy.remaining()
                    + " bytes given, shape " + Arrays.toString(shape) + " x " + dtype + " needs " + expected);
        }
        return put(name, new Entry(dtype, shape.clone(), expected, copy::duplicate));
    }

    /** Adds a floating point tensor, rounding {@code values} to {@code dtype}. */
    public SafetensorsWriter addFloats(String name, DType dtype, long[] shape, float[] values) {
        return add(name, dtype, shape, ElementCodec.encodeFloats(dtype, values));
    }

    /** Adds an integer or BOOL tensor. */
    public SafetensorsWriter addLongs(String name, DType dtype, long[] shape, long[] values) {
        return add(name, dtype, shape, ElementCodec.encodeLongs(dtype, values));
    }

    /** Adds a tensor whose bytes are read from {@code source} only while writing. */
    public SafetensorsWriter copyFrom(TensorSource source, String sourceName, String name) throws TensorFileException {
        TensorInfo t = source.info(sourceName);
        return put(name, new Entry(t.dtype(), t.shape(), t.byteLength(), () -> source.view(sourceName)));
    }

    /** Adds a tensor of a declared size whose bytes come later from {@code bytes}. */
    public SafetensorsWriter addLazy(String name, DType dtype, long[] shape, Bytes bytes) {
        return put(name, new Entry(dtype, shape.clone(), byteLength(name, dtype, shape), bytes));
    }

    /**
     * A writer with the same tensors (sharing their byte suppliers) and, as metadata, only the
     * entries of {@code metadata} whose key passes {@code keep}.
     */
    public SafetensorsWriter withMetadataOnly(java.util.function.Predicate<String> keep, Map<String, String> metadata) {
        SafetensorsWriter copy = new SafetensorsWriter();
        copy.entries.putAll(entries);
        metadata.forEach((k, v) -> {
            if (keep.test(k)) {
                copy.metadata.put(k, v);
            }
        });
        return copy;
    }

    public boolean contains(String name) {
        return entries.containsKey(name);
    }

    public int size() {
        return entries.size();
    }

    /** Writes the file (temp file, then an atomic move onto {@code target}). */
    public void write(Path target) throws TensorFileException {
        write(target, Map::of);
    }

    /**
     * Writes the file like {@link #write(Path)}, but with metadata values that are known only once
     * the data is written (hashes of the sources, computed while the data streams): the header is
     * written first with the present values and rewritten in place at the end with those
     * {@code finalMetadata} gives, which must encode to a header of the same length (fixed-width
     * placeholders, such as 64 zeros for a SHA-256).
     *
     * @throws TensorFileException if the final header's length differs (nothing is left under the target)
     */
    public void write(Path target, Supplier<Map<String, String>> finalMetadata) throws TensorFileException {
        try {
            AtomicFiles.write(target, ch -> {
                int length = headerBytes(target).length;
                writeTo(ch, target);
                metadata(finalMetadata.get());
                byte[] header = headerBytes(target);
                if (header.length != length) {
                    throw new TensorFileException(target, null, "the final metadata changes the header's length from "
                            + length + " to " + header.length + " bytes; its placeholders must have the final width");
                }
                ByteBuffer b = ByteBuffer.wrap(header);
                for (long at = 8; b.hasRemaining(); ) {
                    at += ch.write(b, at);
                }
            });
        } catch (TensorFileException e) {
            throw e;
        } catch (IOException e) {
            throw new TensorFileException(target, null, "cannot write: " + e.getMessage(), e);
        }
    }

    /**
     * Streams the whole file to a channel (used by {@link #write} and by hashing, which needs the
     * bytes a file would have without writing one).
     *
     * @param target named in error messages only
     */
    public void writeTo(WritableByteChannel ch, Path target) throws IOException {
        byte[] header = headerBytes(target);
        ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length).flip();
        writeFully(ch, len);
        writeFully(ch, ByteBuffer.wrap(header));
        for (Map.Entry<String, Entry> e : ordered()) {
            ByteBuffer data = e.getValue().bytes().get().duplicate();
            if (data.remaining() != e.getValue().byteLength()) {
                throw new TensorFileException(target, e.getKey(), "supplied " + data.remaining()
                        + " bytes, declared " + e.getValue().byteLength());
            }
            writeFully(ch, data);
        }
    }

    /**
     * Tensor names in the order {@link #writeTo} asks for their bytes (the file's order), so a
     * caller can prepare lazily supplied tensors ahead of the writer.
     */
    public List<String> writeOrder() {
        return ordered().stream().map(Map.Entry::getKey).toList();
    }

    /** Header length in bytes (after padding): where the data section starts, minus 8. */
    public long headerLength() throws TensorFileException {
        return headerBytes(null).length;
    }

    private List<Map.Entry<String, Entry>> ordered() {
        List<Map.Entry<String, Entry>> list = new ArrayList<>(entries.entrySet());
        list.sort(Comparator.comparingInt((Map.Entry<String, Entry> e) -> -e.getValue().dtype().writeOrderRank())
                .thenComparing(Map.Entry::getKey));
        return list;
    }

    /** The JSON header, padded with spaces to a multiple of 8 bytes. */
    private byte[] headerBytes(Path target) throws TensorFileException {
        ObjectNode root = JSON.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode meta = root.putObject(SafetensorsHeader.METADATA_KEY);
            metadata.forEach(meta::put);
        }
        long offset = 0;
        for (Map.Entry<String, Entry> e : ordered()) {
            Entry t = e.getValue();
            ObjectNode node = root.putObject(e.getKey());
            node.put("dtype", t.dtype().safetensorsName());
            ArrayNode shape = node.putArray("shape");
            for (long d : t.shape()) {
                shape.add(d);
            }
            node.putArray("data_offsets").add(offset).add(offset + t.byteLength());
            offset += t.byteLength();
        }
        byte[] json;
        try {
            json = JSON.writeValueAsString(root).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new TensorFileException(target, null, "cannot encode header: " + e.getMessage(), e);
        }
        int padded = (json.length + 7) / 8 * 8;
        byte[] out = Arrays.copyOf(json, padded);
        Arrays.fill(out, json.length, padded, (byte) ' ');
        return out;
    }

    private SafetensorsWriter put(String name, Entry entry) {
        if (name == null || name.isEmpty() || name.equals(SafetensorsHeader.METADATA_KEY)) {
            throw new IllegalArgumentException("invalid tensor name '" + name + "'");
        }
        if (entries.putIfAbsent(name, entry) != null) {
            throw new IllegalArgumentException("tensor '" + name + "' added twice");
        }
        return this;
    }

    private static long byteLength(String name, DType dtype, long[] shape) {
        try {
            return Math.multiplyExact(Shapes.numel(shape), dtype.size());
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("tensor '" + name + "': invalid shape " + Arrays.toString(shape));
        }
    }

    static void writeFully(WritableByteChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }
}
