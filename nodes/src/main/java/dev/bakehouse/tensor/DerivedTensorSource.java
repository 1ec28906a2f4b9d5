package dev.bakehouse.tensor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Tensors renamed, reshaped, stacked, transposed or sliced from other sources, computed when
 * read: how one file layout is presented in another's names (diffusers folders as LDM keys and
 * back). Closing it closes the underlying sources.
 */
public final class DerivedTensorSource implements TensorSource {

    /** How one tensor is made from the underlying sources. */
    public sealed interface Derivation {
        TensorInfo info(String name) throws TensorFileException;

        ByteBuffer bytes() throws TensorFileException;
    }

    /** The same bytes, optionally under another shape of equal size (a 1x1 conv as a linear). */
    public record Copy(TensorSource source, String key, long[] shape) implements Derivation {
        @Override
        public TensorInfo info(String name) throws TensorFileException {
            TensorInfo t = source.info(key);
            long[] s = shape == null ? t.shape() : shape;
            if (Shapes.numel(s) != t.numel()) {
                throw new TensorFileException(source.path(), key, "cannot reshape " + Arrays.toString(t.shape())
                        + " to " + Arrays.toString(s));
            }
            return new TensorInfo(name, t.dtype(), s, shape == null ? t.offset() : -1, t.byteLength());
        }

        @Override
        public ByteBuffer bytes() throws TensorFileException {
            return source.view(key);
        }
    }

    /** Tensors of equal dtype and trailing shape stacked along axis 0 (q, k, v into in_proj). */
    public record Concat(TensorSource source, List<String> keys) implements Derivation {
        @Override
        public TensorInfo info(String name) throws TensorFileException {
            TensorInfo first = source.info(keys.get(0));
            long rows = 0;
            long bytes = 0;
            for (String k : keys) {
                TensorInfo t = source.info(k);
                long[] a = t.shape();
                long[] b = first.shape();
                if (t.dtype() != first.dtype() || a.length != b.length || a.length == 0
                        || !Arrays.equals(Arrays.copyOfRange(a, 1, a.length), Arrays.copyOfRange(b, 1, b.length))) {
                    throw new TensorFileException(source.path(), k, "cannot be stacked with " + keys.get(0) + ": "
                            + t.dtype() + Arrays.toString(a) + " vs " + first.dtype() + Arrays.toString(b));
                }
                rows += a[0];
                bytes += t.byteLength();
            }
            long[] shape = first.shape();
            shape[0] = rows;
            return new TensorInfo(name, first.dtype(), shape, -1, bytes);
        }

        @Override
        public ByteBuffer bytes() throws TensorFileException {
            List<ByteBuffer> parts = new ArrayList<>();
            int total = 0;
            for (String k : keys) {
                ByteBuffer b = source.view(k);
                parts.add(b);
                total = Math.addExact(total, b.remaining());
            }
            ByteBuffer out = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
            parts.forEach(p -> out.put(p.duplicate()));
            return out.flip();
        }
    }

    /** Rows {@code [start, end)} along axis 0 (in_proj back into q, k, v). */
    public record Rows(TensorSource source, String key, long start, long end) implements Derivation {
        @Override
        public TensorInfo info(String name) throws TensorFileException {
            TensorInfo t = source.info(key);
            long[] s = t.shape();
            if (s.length == 0 || start < 0 || end > s[0] || start >= end) {
                throw new TensorFileException(source.path(), key, "rows " + start + ":" + end + " outside " + Arrays.toString(s));
            }
            long rowBytes = t.byteLength() / s[0];
            s[0] = end - start;
            return new TensorInfo(name, t.dtype(), s, t.offset() < 0 ? -1 : t.offset() + start * rowBytes, (end - start) * rowBytes);
        }

        @Override
        public ByteBuffer bytes() throws TensorFileException {
            TensorInfo t = source.info(key);
            int rowBytes = (int) (t.byteLength() / t.dim(0));
            return source.view(key).slice((int) start * rowBytes, (int) (end - start) * rowBytes).order(ByteOrder.LITTLE_ENDIAN);
        }
    }

    /** A 2-D tensor transposed (OpenCLIP's text_projection is stored the other way round). */
    public record Transpose(TensorSource source, String key) implements Derivation {
        @Override
        public TensorInfo info(String name) throws TensorFileException {
            TensorInfo t = source.info(key);
            if (t.rank() != 2) {
                throw new TensorFileException(source.path(), key, "transpose needs 2 dims, has " + Arrays.toString(t.shape()));
            }
            return new TensorInfo(name, t.dtype(), new long[] {t.dim(1), t.dim(0)}, -1, t.byteLength());
        }

        @Override
        public ByteBuffer bytes() throws TensorFileException {
            TensorInfo t = source.info(key);
            int rows = (int) t.dim(0);
            int cols = (int) t.dim(1);
            int e = t.dtype().size();
            ByteBuffer in = source.view(key);
            ByteBuffer out = ByteBuffer.allocate(in.remaining()).order(ByteOrder.LITTLE_ENDIAN);
            byte[] element = new byte[e];
            for (int j = 0; j < cols; j++) {
                for (int i = 0; i < rows; i++) {
                    in.get((i * cols + j) * e, element);
                    out.put(element);
                }
            }
            return out.flip();
        }
    }

    private final Path path;
    private final Map<String, Derivation> derivations;
    private final Map<String, String> metadata;
    private final List<TensorSource> owned;

    /**
     * @param path     what to call this source in messages (e.g. the diffusers folder)
     * @param owned    the underlying sources, closed with this one
     */
    public DerivedTensorSource(Path path, Map<String, Derivation> derivations, Map<String, String> metadata,
                               List<TensorSource> owned) {
        this.path = path;
        this.derivations = Collections.unmodifiableMap(new TreeMap<>(derivations));
        this.metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        this.owned = List.copyOf(owned);
    }

    @Override
    public Path path() {
        return path;
    }

    @Override
    public List<String> names() {
        return List.copyOf(derivations.keySet());
    }

    @Override
    public boolean contains(String name) {
        return derivations.containsKey(name);
    }

    @Override
    public TensorInfo info(String name) throws TensorFileException {
        return derivation(name).info(name);
    }

    @Override
    public Map<String, String> metadata() {
        return metadata;
    }

    /** A renamed or reshaped tensor is read by its source, which may decode straight into {@code into}. */
    @Override
    public void readFloats(String name, ByteBuffer into) throws TensorFileException {
        if (derivation(name) instanceof Copy copy) {
            copy.source().readFloats(copy.key(), into);
        } else {
            TensorSource.super.readFloats(name, into);
        }
    }

    @Override
    public ByteBuffer view(String name) throws TensorFileException {
        return derivation(name).bytes().asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    @Override
    public void close() throws IOException {
        IOException first = null;
        Set<TensorSource> done = Collections.newSetFromMap(new IdentityHashMap<>());
        for (TensorSource s : owned) {
            if (done.add(s)) {
                try {
                    s.close();
                } catch (IOException e) {
                    first = first == null ? e : first;
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    private Derivation derivation(String name) throws TensorFileException {
        Derivation d = derivations.get(name);
        if (d == null) {
            throw new TensorFileException(path, name, "no such tensor (" + derivations.size() + " tensors)");
        }
        return d;
    }
}
