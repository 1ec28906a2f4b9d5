package dev.bakehouse.tensor.ckpt;

import dev.bakehouse.tensor.DType;
import dev.bakehouse.tensor.TensorFileException;
import dev.bakehouse.tensor.TensorInfo;
import dev.bakehouse.tensor.TensorSource;
import dev.bakehouse.tensor.ckpt.PickleValues.StorageRef;
import dev.bakehouse.tensor.ckpt.PickleValues.TensorRef;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A PyTorch {@code .ckpt}/{@code .pt} checkpoint opened for reading without running any of it.
 *
 * <p>Two layouts are read: the zip archive {@code torch.save} has written since torch 1.6
 * ({@code <name>/data.pkl} plus one {@code <name>/data/<key>} entry per storage, stored
 * uncompressed, so tensors are memory-mapped in place), and the older single-stream layout
 * (magic-number pickle, sys-info, the object, the storage keys, then the raw storages). The pickle
 * is read by {@link SafeUnpickler}, which refuses any global a state dict does not need.
 *
 * <p>Which tensors: as AUTOMATIC1111 does, a top-level {@code state_dict} entry replaces the root
 * (Lightning checkpoints nest the weights there) and a nested {@code state_dict} key is dropped.
 * Every other tensor-valued entry is a tensor of this source; scalar entries at the top level or
 * in the state dict ({@code global_step}, {@code epoch}) are reported as {@link #metadata()}.
 */
public final class CkptFile implements TensorSource {

    private static final long MAX_PICKLE_BYTES = 512L * 1024 * 1024;
    private static final long MAP_THRESHOLD = 256 * 1024;
    private static final LegacyMagic LEGACY_MAGIC = new LegacyMagic("1950a86a20f9469cfc6c");

    /**
     * Where a storage's bytes are: a region of the file ({@code offset}), or a compressed zip entry
     * ({@code offset} -1). {@code zipEntry} is the storage's entry in a zip checkpoint, null in a
     * legacy one (which has no checksums).
     */
    private record StorageLocation(long offset, long byteLength, ZipDirectory.Entry zipEntry) {
        boolean compressed() {
            return zipEntry != null && !zipEntry.stored();
        }
    }

    private record Tensor(TensorInfo info, TensorRef ref, StorageLocation storage, boolean contiguous) {}

    private final Path path;
    private final FileChannel channel;
    private final ZipDirectory zip;
    private final Map<String, Tensor> tensors;
    private final Map<String, String> metadata;
    private final Set<String> verifiedStorages = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private CkptFile(Path path, FileChannel channel, ZipDirectory zip, Map<String, Tensor> tensors,
                     Map<String, String> metadata) {
        this.path = path;
        this.channel = channel;
        this.zip = zip;
        this.tensors = tensors;
        this.metadata = metadata;
    }

    /** A checkpoint's state dict (see the class comment). */
    public static CkptFile open(Path path) throws TensorFileException {
        return open(path, Layout.STATE_DICT);
    }

    /**
     * A small pickle that is not a state dict, such as a textual-inversion embedding
     * ({@code {"string_to_param": {"*": tensor}, "name": ...}}): every tensor in nested dicts,
     * named by its key path joined with '.' ({@code string_to_param.*}).
     */
    public static CkptFile openNested(Path path) throws TensorFileException {
        return open(path, Layout.NESTED);
    }

    /** Where the tensors are in the unpickled object. */
    private enum Layout {
        STATE_DICT, NESTED;

        StateDicts.Found find(Path path, Object root) throws TensorFileException {
            return this == STATE_DICT ? StateDicts.extract(path, root) : StateDicts.extractNested(path, root);
        }
    }

    private static CkptFile open(Path path, Layout layout) throws TensorFileException {
        FileChannel ch;
        try {
            ch = FileChannel.open(path, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new TensorFileException(path, null, "file not found");
        } catch (IOException e) {
            throw new TensorFileException(path, null, "cannot open: " + e.getMessage(), e);
        }
        try {
            ByteBuffer head = ZipDirectory.read(ch, 0, (int) Math.min(ch.size(), 512), path);
            if (ZipDirectory.looksLikeZip(head)) {
                return openZip(path, ch, layout);
            }
            if (head.remaining() > 262 && new String(head.array(), 257, 5, java.nio.charset.StandardCharsets.US_ASCII).equals("ustar")) {
                throw new TensorFileException(path, null, "tar-format checkpoint (torch < 0.4) is not supported; "
                        + "re-save it with a current torch or convert it to safetensors");
            }
            if (head.remaining() > 0 && (head.get(0) & 0xff) == 0x80) {
                return openLegacy(path, ch, layout);
            }
            throw new TensorFileException(path, null, "not a PyTorch checkpoint (neither a zip archive nor a pickle stream)");
        } catch (TensorFileException | RuntimeException e) {
            closeQuietly(ch, e);
            throw e;
        } catch (IOException e) {
            closeQuietly(ch, e);
            throw new TensorFileException(path, null, "cannot read: " + e.getMessage(), e);
        }
    }

    private static CkptFile openZip(Path path, FileChannel ch, Layout layout) throws IOException {
        ZipDirectory zip = ZipDirectory.read(path, ch);
        ZipDirectory.Entry pkl = null;
        for (ZipDirectory.Entry e : zip.entries().values()) {
            if (e.name().endsWith("data.pkl") && e.name().indexOf('/') == e.name().lastIndexOf('/')) {
                pkl = e;
                break;
            }
        }
        if (pkl == null) {
            throw new TensorFileException(path, null, "zip archive has no <name>/data.pkl entry; not a torch checkpoint");
        }
        String prefix = pkl.name().substring(0, pkl.name().length() - "data.pkl".length());
        ZipDirectory.Entry byteorder = zip.entries().get(prefix + "byteorder");
        if (byteorder != null) {
            String order = new String(zip.content(byteorder, 16).array(), java.nio.charset.StandardCharsets.US_ASCII).trim();
            if (!order.equals("little")) {
                throw new TensorFileException(path, null, "checkpoint byte order is '" + order + "'; only little-endian is supported");
            }
        }
        for (ZipDirectory.Entry e : zip.entries().values()) {
            // The small records (version, serialization id, …) are checked now; storages on first read.
            if (!e.name().startsWith(prefix + "data/") && e != pkl && e != byteorder) {
                zip.content(e, MAX_PICKLE_BYTES);
            }
        }
        Object root = SafeUnpickler.load(path, zip.content(pkl, MAX_PICKLE_BYTES));
        StateDicts.Found found = layout.find(path, root);
        Map<String, Tensor> tensors = new TreeMap<>();
        for (Map.Entry<String, TensorRef> e : found.tensors().entrySet()) {
            StorageRef s = e.getValue().storage();
            ZipDirectory.Entry data = zip.entries().get(prefix + "data/" + s.key());
            if (data == null) {
                throw new TensorFileException(path, e.getKey(), "storage '" + s.key() + "' has no zip entry " + prefix + "data/" + s.key());
            }
            StorageLocation loc = new StorageLocation(data.stored() ? data.dataOffset() : -1, data.size(), data);
            tensors.put(e.getKey(), tensor(path, e.getKey(), e.getValue(), loc));
        }
        return new CkptFile(path, ch, zip, Collections.unmodifiableMap(tensors), found.scalars());
    }

    /** The pre-1.6 layout: five pickles in a row, then each storage as int64 count + raw bytes. */
    private static CkptFile openLegacy(Path path, FileChannel ch, Layout layout) throws IOException {
        long size = ch.size();
        PickleReader pickles = new PickleReader(path, ch, size);
        Object magic = pickles.next();
        if (!LEGACY_MAGIC.matches(magic)) {
            throw new TensorFileException(path, null, "pickle stream does not start with torch's magic number; not a checkpoint");
        }
        Object protocol = pickles.next();
        if (!Long.valueOf(1001).equals(protocol)) {
            throw new TensorFileException(path, null, "legacy checkpoint protocol " + protocol + " is not supported (expected 1001)");
        }
        pickles.next(); // sys_info: little_endian and type sizes, all standard on x86/ARM
        Object root = pickles.next();
        Object keys = pickles.next();
        if (!(keys instanceof List<?> keyList)) {
            throw new TensorFileException(path, null, "legacy checkpoint storage key list is missing");
        }
        StateDicts.Found found = layout.find(path, root);
        Map<String, StorageRef> byKey = StateDicts.storagesByKey(found.allStorages());
        Map<String, StorageLocation> locations = new TreeMap<>();
        long pos = pickles.position();
        for (Object k : keyList) {
            StorageRef s = byKey.get(String.valueOf(k));
            ByteBuffer countBuf = ZipDirectory.read(ch, pos, 8, path);
            long count = countBuf.getLong();
            DType dtype = StateDicts.dtypeOf(path, s == null ? null : s.typeName());
            if (s == null || count < 0 || count > (size - pos - 8) / dtype.size()) {
                throw new TensorFileException(path, null, "legacy storage '" + k + "' at offset " + pos + " is unreadable");
            }
            locations.put(String.valueOf(k), new StorageLocation(pos + 8, count * dtype.size(), null));
            pos += 8 + count * dtype.size();
        }
        Map<String, Tensor> tensors = new TreeMap<>();
        for (Map.Entry<String, TensorRef> e : found.tensors().entrySet()) {
            StorageLocation loc = locations.get(e.getValue().storage().key());
            if (loc == null) {
                throw new TensorFileException(path, e.getKey(), "storage '" + e.getValue().storage().key() + "' is not in the file");
            }
            tensors.put(e.getKey(), tensor(path, e.getKey(), e.getValue(), loc));
        }
        return new CkptFile(path, ch, null, Collections.unmodifiableMap(tensors), found.scalars());
    }

    private static Tensor tensor(Path path, String name, TensorRef ref, StorageLocation loc) throws TensorFileException {
        DType dtype = StateDicts.dtypeOf(path, ref.storage().typeName());
        long[] size = ref.size();
        long[] stride = ref.stride();
        if (stride.length != size.length) {
            throw new TensorFileException(path, name, "size has " + size.length + " dims but stride has " + stride.length);
        }
        long numel;
        long lastIndex = ref.storageOffset();
        boolean contiguous = true;
        long expectedStride = 1;
        try {
            numel = dev.bakehouse.tensor.Shapes.numel(size);
            for (int i = size.length - 1; i >= 0; i--) {
                if (size[i] > 1 && stride[i] != expectedStride) {
                    contiguous = false;
                }
                expectedStride = Math.multiplyExact(expectedStride, size[i]);
                if (size[i] > 0) {
                    lastIndex = Math.addExact(lastIndex, Math.multiplyExact(size[i] - 1, stride[i]));
                }
            }
        } catch (ArithmeticException e) {
            throw new TensorFileException(path, name, "shape " + java.util.Arrays.toString(size) + " overflows");
        }
        long storageBytes = Math.min(loc.byteLength(), ref.storage().numel() * dtype.size());
        if (numel > 0 && (lastIndex + 1) * dtype.size() > storageBytes) {
            throw new TensorFileException(path, name, "reaches element " + lastIndex + " of storage '" + ref.storage().key()
                    + "', which holds " + storageBytes / dtype.size() + " " + dtype + " elements");
        }
        long offset = !loc.compressed() && contiguous ? loc.offset() + ref.storageOffset() * dtype.size() : -1;
        TensorInfo info = new TensorInfo(name, dtype, size, offset, numel * dtype.size());
        return new Tensor(info, ref, loc, contiguous);
    }

    @Override
    public Path path() {
        return path;
    }

    @Override
    public List<String> names() {
        return List.copyOf(tensors.keySet());
    }

    @Override
    public boolean contains(String name) {
        return tensors.containsKey(name);
    }

    @Override
    public TensorInfo info(String name) throws TensorFileException {
        return tensor(name).info();
    }

    /** Scalar entries ({@code global_step}, {@code epoch}, ...) as strings; a .ckpt has no string map. */
    @Override
    public Map<String, String> metadata() {
        return metadata;
    }

    @Override
    public ByteBuffer view(String name) throws TensorFileException {
        Tensor t = tensor(name);
        if (closed) {
            throw new TensorFileException(path, name, "file is closed");
        }
        TensorInfo info = t.info();
        if (info.byteLength() > Integer.MAX_VALUE) {
            throw new TensorFileException(path, name, "is " + info.byteLength() + " bytes; a single view is limited to 2 GB");
        }
        try {
            verifyOnce(t.storage());
            if (info.offset() >= 0) {
                if (info.byteLength() == 0) {
                    return ByteBuffer.allocate(0).order(ByteOrder.LITTLE_ENDIAN);
                }
                return readOrMap(info.offset(), info.byteLength());
            }
            ByteBuffer storage = storageBytes(t);
            int elem = info.dtype().size();
            long base = t.ref().storageOffset();
            if (t.contiguous()) {
                return storage.slice((int) (base * elem), (int) info.byteLength()).order(ByteOrder.LITTLE_ENDIAN);
            }
            return Strided.gather(storage, base, info.shape(), t.ref().stride(), elem);
        } catch (TensorFileException e) {
            throw e;
        } catch (IOException e) {
            throw new TensorFileException(path, name, "cannot read: " + e.getMessage(), e);
        }
    }

    /**
     * A stored storage's CRC is checked on its first read, not at open: opening stays cheap for
     * callers that list or read a few tensors, and every byte handed out has been checked once.
     */
    private void verifyOnce(StorageLocation loc) throws IOException {
        ZipDirectory.Entry entry = loc.zipEntry();
        if (entry != null && entry.stored() && !verifiedStorages.contains(entry.name())) {
            zip.verifyStored(entry);
            verifiedStorages.add(entry.name());
        }
    }

    private ByteBuffer storageBytes(Tensor t) throws IOException {
        StorageLocation loc = t.storage();
        if (loc.compressed()) {
            return zip.content(loc.zipEntry(), Integer.MAX_VALUE); // checks the CRC itself
        }
        if (loc.byteLength() > Integer.MAX_VALUE) {
            throw new TensorFileException(path, t.info().name(), "strided view of a storage over 2 GB is not supported");
        }
        return readOrMap(loc.offset(), loc.byteLength());
    }

    /** Small ranges are read (a mapping per scalar costs more than the copy), large ones mapped. */
    private ByteBuffer readOrMap(long offset, long length) throws IOException {
        if (length < MAP_THRESHOLD) {
            return ZipDirectory.read(channel, offset, (int) length, path);
        }
        return channel.map(FileChannel.MapMode.READ_ONLY, offset, length).order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * Reads consecutive pickles from the start of a legacy stream. Each is parsed from a heap
     * window that grows only if the pickle does not fit, so a 4 GB file costs a few small reads.
     */
    private static final class PickleReader {
        private final Path path;
        private final FileChannel channel;
        private final long size;
        private long position;

        PickleReader(Path path, FileChannel channel, long size) {
            this.path = path;
            this.channel = channel;
            this.size = size;
        }

        Object next() throws IOException {
            for (long window = 1 << 20; ; window *= 16) {
                int len = (int) Math.min(Math.min(window, MAX_PICKLE_BYTES), size - position);
                ByteBuffer buf = ZipDirectory.read(channel, position, len, path);
                try {
                    Object value = SafeUnpickler.load(path, buf);
                    position += buf.position();
                    return value;
                } catch (PickleTruncatedException e) {
                    if (len >= size - position || len >= MAX_PICKLE_BYTES) {
                        throw e; // the file itself ends, or the pickle is beyond any sane size
                    }
                }
            }
        }

        long position() {
            return position;
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        channel.close();
    }

    private Tensor tensor(String name) throws TensorFileException {
        Tensor t = tensors.get(name);
        if (t == null) {
            throw new TensorFileException(path, name, "no such tensor in this checkpoint (" + tensors.size() + " tensors)");
        }
        return t;
    }

    private static void closeQuietly(FileChannel ch, Exception primary) {
        try {
            ch.close();
        } catch (IOException e) {
            primary.addSuppressed(e);
        }
    }

    /** torch's legacy magic number, compared without caring whether it arrived as long or BigInteger. */
    private record LegacyMagic(String hex) {
        boolean matches(Object v) {
            return v instanceof java.math.BigInteger b && b.toString(16).equals(hex);
        }
    }
}
