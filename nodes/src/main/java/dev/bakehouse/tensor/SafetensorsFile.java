package dev.bakehouse.tensor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A safetensors file opened for reading. Only the header is read on open; tensor bytes are
 * memory-mapped when asked for (small ones simply read), one tensor at a time, at long offsets,
 * so files beyond 2 GB work and a caller that needs three tensors of a 7 GB checkpoint touches
 * only those pages.
 *
 * <p>Thread-safe for reads. Buffers returned by {@link #view} stay valid after {@link #close}
 * (the mapping lives until the buffer is collected); everything else fails once closed.
 *
 * <p>Conversions: {@link #readFloats} widens F16/BF16/F8 exactly, narrows F64 to the nearest
 * float, and converts integers (and BOOL as 0/1) to the nearest float. {@link #readLongs}
 * returns integer and BOOL tensors exactly (U64 above {@code Long.MAX_VALUE} wraps, as in Java).
 */
public final class SafetensorsFile implements TensorSource {

    /** Bytes per mapping when a tensor is read in pieces; a multiple of every dtype size. */
    private static final long CHUNK_BYTES = 1L << 30;

    /**
     * Below this size a tensor is read with one positional read instead of a mapping: a LoRA has
     * hundreds of 4-byte alphas, and a page-aligned mapping per scalar costs more than the copy.
     */
    private static final long MAP_THRESHOLD = 256 * 1024;

    /** Raw bytes decoded at a time by {@link #readFloats(String, ByteBuffer)} for non-F32 tensors. */
    private static final int DECODE_CHUNK_BYTES = 4 << 20;

    private final Path path;
    private final FileChannel channel;
    private final long dataStart;
    private final SafetensorsHeader header;
    private final Map<String, TensorInfo> byName;
    private volatile boolean closed;

    private SafetensorsFile(Path path, FileChannel channel, long dataStart, SafetensorsHeader header) {
        this.path = path;
        this.channel = channel;
        this.dataStart = dataStart;
        this.header = header;
        Map<String, TensorInfo> m = new TreeMap<>();
        for (TensorInfo t : header.tensors()) {
            m.put(t.name(), t);
        }
        this.byName = Collections.unmodifiableMap(m);
    }

    /** Opens a file and validates its header; no tensor data is read. */
    public static SafetensorsFile open(Path path) throws TensorFileException {
        FileChannel ch;
        try {
            ch = FileChannel.open(path, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new TensorFileException(path, null, "file not found");
        } catch (IOException e) {
            throw new TensorFileException(path, null, "cannot open: " + e.getMessage(), e);
        }
        try {
            long size = ch.size();
            if (size < 8) {
                throw new TensorFileException(path, null, "file is " + size + " bytes, too short for a safetensors header length");
            }
            ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, lenBuf, 0, path);
            long n = lenBuf.flip().getLong();
            if (n < 2 || n > SafetensorsHeader.MAX_HEADER_BYTES) {
                throw new TensorFileException(path, null, "header length " + Long.toUnsignedString(n)
                        + " is outside 2.." + SafetensorsHeader.MAX_HEADER_BYTES + " (not a safetensors file?)");
            }
            if (8 + n > size) {
                throw new TensorFileException(path, null, "header length " + n + " exceeds the file size " + size);
            }
            ByteBuffer json = ByteBuffer.allocate((int) n);
            readFully(ch, json, 8, path);
            json.flip();
            long dataStart = 8 + n;
            SafetensorsHeader header = SafetensorsHeader.parse(path, json, dataStart, size - dataStart);
            return new SafetensorsFile(path, ch, dataStart, header);
        } catch (TensorFileException | RuntimeException e) {
            closeQuietly(ch, e);
            throw e;
        } catch (IOException e) {
            closeQuietly(ch, e);
            throw new TensorFileException(path, null, "cannot read header: " + e.getMessage(), e);
        }
    }

    @Override
    public Path path() {
        return path;
    }

    /** Absolute file offset of the data section (8 + header length). */
    public long dataStart() {
        return dataStart;
    }

    /** Tensor keys, sorted. */
    @Override
    public List<String> names() {
        return List.copyOf(byName.keySet());
    }

    @Override
    public boolean contains(String name) {
        return byName.containsKey(name);
    }

    /** Every tensor, in the order of its bytes in the file. */
    public List<TensorInfo> tensors() {
        List<TensorInfo> list = new ArrayList<>(header.tensors());
        list.sort((a, b) -> Long.compare(a.offset(), b.offset()));
        return list;
    }

    @Override
    public TensorInfo info(String name) throws TensorFileException {
        TensorInfo t = byName.get(name);
        if (t == null) {
            throw new TensorFileException(path, name, "no such tensor in this file (" + byName.size() + " tensors)");
        }
        return t;
    }

    /** The {@code __metadata__} map (empty when absent), in file order. */
    @Override
    public Map<String, String> metadata() {
        return header.metadata();
    }

    /**
     * The raw bytes of a tensor as a read-only little-endian buffer, mapped on this call (read
     * into the heap when under 256 KiB).
     *
     * @throws TensorFileException if the tensor is 2 GB or larger (use {@link #readFloats},
     *                             which works in pieces)
     */
    @Override
    public ByteBuffer view(String name) throws TensorFileException {
        TensorInfo t = info(name);
        if (t.byteLength() > Integer.MAX_VALUE) {
            throw new TensorFileException(path, name, "is " + t.byteLength() + " bytes; a single view is limited to 2 GB");
        }
        return map(t, t.offset(), t.byteLength());
    }

    @Override
    public float[] readFloats(String name) throws TensorFileException {
        TensorInfo t = info(name);
        float[] out = new float[elementCount(t)];
        int done = 0;
        for (long pos = 0; pos < t.byteLength(); pos += CHUNK_BYTES) {
            long len = Math.min(CHUNK_BYTES, t.byteLength() - pos);
            ByteBuffer piece = map(t, t.offset() + pos, len);
            done += ElementCodec.decodeFloats(t.dtype(), piece, out, done);
        }
        return out;
    }

    /**
     * Straight from the file into {@code into}, without a mapping (whose pages would count against
     * the process until the garbage collector unmaps it) or a whole-tensor array: F32 is read in
     * place; narrower or wider dtypes are decoded through one bounded chunk.
     */
    @Override
    public void readFloats(String name, ByteBuffer into) throws TensorFileException {
        TensorInfo t = info(name);
        long numel = elementCount(t);
        int bytes = Math.toIntExact(numel * Float.BYTES);
        if (into.remaining() < bytes) {
            throw new IllegalArgumentException(name + ": " + bytes + " bytes of float32 do not fit the "
                    + into.remaining() + " remaining in the buffer");
        }
        if (closed) {
            throw new TensorFileException(path, name, "file is closed");
        }
        ByteBuffer out = into.slice(into.position(), bytes).order(ByteOrder.nativeOrder());
        try {
            if (t.dtype() == DType.F32 && ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN) {
                readFully(channel, out, t.offset(), path);
            } else {
                int size = t.dtype().size();
                int chunk = (int) Math.min(numel, DECODE_CHUNK_BYTES / size);
                ByteBuffer raw = ByteBuffer.allocate(chunk * size);
                float[] decoded = new float[chunk];
                var dst = out.asFloatBuffer();
                for (long done = 0; done < numel; ) {
                    int n = (int) Math.min(chunk, numel - done);
                    raw.clear().limit(n * size);
                    readFully(channel, raw, t.offset() + done * size, path);
                    ElementCodec.decodeFloats(t.dtype(), raw.flip(), decoded, 0);
                    dst.put(decoded, 0, n);
                    done += n;
                }
            }
        } catch (TensorFileException e) {
            throw new TensorFileException(path, name, e.getMessage(), e);
        } catch (IOException e) {
            throw new TensorFileException(path, name, "cannot read " + bytes + " bytes: " + e.getMessage(), e);
        }
        into.position(into.position() + bytes);
    }

    /** The values as doubles: F64 exactly, every other dtype as {@link #readFloats} does. */
    public double[] readDoubles(String name) throws TensorFileException {
        TensorInfo t = info(name);
        if (t.dtype() != DType.F64) {
            float[] f = readFloats(name);
            double[] d = new double[f.length];
            for (int i = 0; i < f.length; i++) {
                d[i] = f[i];
            }
            return d;
        }
        double[] out = new double[elementCount(t)];
        int done = 0;
        for (long pos = 0; pos < t.byteLength(); pos += CHUNK_BYTES) {
            long len = Math.min(CHUNK_BYTES, t.byteLength() - pos);
            var db = map(t, t.offset() + pos, len).asDoubleBuffer();
            int n = db.remaining();
            db.get(out, done, n);
            done += n;
        }
        return out;
    }

    @Override
    public long[] readLongs(String name) throws TensorFileException {
        TensorInfo t = info(name);
        if (t.dtype().isFloatingPoint()) {
            throw new TensorFileException(path, name, "is " + t.dtype() + "; readLongs needs an integer or BOOL tensor");
        }
        long[] out = new long[elementCount(t)];
        int done = 0;
        for (long pos = 0; pos < t.byteLength(); pos += CHUNK_BYTES) {
            long len = Math.min(CHUNK_BYTES, t.byteLength() - pos);
            done += ElementCodec.decodeLongs(t.dtype(), map(t, t.offset() + pos, len), out, done);
        }
        return out;
    }

    @Override
    public void close() throws IOException {
        closed = true;
        channel.close();
    }

    private int elementCount(TensorInfo t) throws TensorFileException {
        long n = t.numel();
        if (n > Integer.MAX_VALUE - 8) {
            throw new TensorFileException(path, t.name(), "has " + n + " elements, more than a Java array holds");
        }
        return (int) n;
    }

    private ByteBuffer map(TensorInfo t, long offset, long length) throws TensorFileException {
        if (closed) {
            throw new TensorFileException(path, t.name(), "file is closed");
        }
        if (length == 0) {
            return ByteBuffer.allocate(0).order(ByteOrder.LITTLE_ENDIAN).asReadOnlyBuffer();
        }
        try {
            if (length < MAP_THRESHOLD) {
                ByteBuffer b = ByteBuffer.allocate((int) length);
                readFully(channel, b, offset, path);
                return b.flip().asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
            }
            MappedByteBuffer mb = channel.map(FileChannel.MapMode.READ_ONLY, offset, length);
            return mb.order(ByteOrder.LITTLE_ENDIAN);
        } catch (TensorFileException e) {
            throw new TensorFileException(path, t.name(), e.getMessage(), e);
        } catch (IOException e) {
            throw new TensorFileException(path, t.name(), "cannot map bytes " + offset + "+" + length + ": " + e.getMessage(), e);
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long position, Path path) throws IOException {
        long pos = position;
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos);
            if (n < 0) {
                throw new TensorFileException(path, null, "unexpected end of file at offset " + pos);
            }
            pos += n;
        }
    }

    private static void closeQuietly(FileChannel ch, Exception primary) {
        try {
            ch.close();
        } catch (IOException e) {
            primary.addSuppressed(e);
        }
    }
}
