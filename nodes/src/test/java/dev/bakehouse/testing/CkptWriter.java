package dev.bakehouse.testing;

import dev.bakehouse.tensor.DType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Builds PyTorch checkpoints the way {@code torch.save} lays them out (zip archive with
 * {@code archive/data.pkl} and {@code archive/data/<key>} storages, or the legacy single stream),
 * with the pickle written opcode by opcode as torch's pickler writes a state dict.
 */
public final class CkptWriter {

    private record Storage(String key, DType dtype, byte[] data) {}

    private record View(String name, String storageKey, long offset, long[] size, long[] stride) {}

    private final Map<String, Storage> storages = new LinkedHashMap<>();
    private final List<View> views = new ArrayList<>();
    private final Map<String, Long> scalars = new LinkedHashMap<>();
    private boolean nestInStateDict;

    /** A contiguous tensor with a storage of its own. */
    public CkptWriter tensor(String name, DType dtype, long[] shape, byte[] data) {
        String key = Integer.toString(storages.size());
        storages.put(key, new Storage(key, dtype, data));
        views.add(new View(name, key, 0, shape, contiguousStride(shape)));
        return this;
    }

    /** A view onto the storage of an earlier tensor (offset and strides in elements). */
    public CkptWriter view(String name, String ofTensor, long offset, long[] size, long[] stride) {
        String key = views.stream().filter(v -> v.name().equals(ofTensor)).findFirst().orElseThrow().storageKey();
        views.add(new View(name, key, offset, size, stride));
        return this;
    }

    public CkptWriter scalar(String name, long value) {
        scalars.put(name, value);
        return this;
    }

    /** Lightning layout: {@code {"global_step": ..., "state_dict": {...}}}. */
    public CkptWriter nestInStateDict() {
        nestInStateDict = true;
        return this;
    }

    /** The pickle of the state dict, protocol 2, as torch writes it. */
    public byte[] pickle() {
        return pickle(false);
    }

    /**
     * @param legacyIds legacy (pre-1.6) persistent ids carry a sixth item, the view metadata (None)
     */
    private byte[] pickle(boolean legacyIds) {
        PickleBuilder p = new PickleBuilder().proto(2);
        if (nestInStateDict) {
            p.emptyDict().mark();
            scalars.forEach((k, v) -> p.str(k).integer(v));
            p.str("state_dict");
        }
        p.global("collections", "OrderedDict");
        int orderedDict = p.nextMemo() - 1;
        p.emptyTuple().reduce().mark();
        if (!nestInStateDict) {
            scalars.forEach((k, v) -> p.str(k).integer(v));
        }
        Map<String, Integer> storageMemo = new LinkedHashMap<>();
        int rebuild = -1;
        for (View v : views) {
            p.str(v.name());
            if (rebuild < 0) {
                p.global("torch._utils", "_rebuild_tensor_v2");
                rebuild = p.nextMemo() - 1;
            } else {
                p.get(rebuild);
            }
            p.mark();
            Integer seen = storageMemo.get(v.storageKey());
            if (seen != null) {
                p.get(seen);
            } else {
                Storage s = storages.get(v.storageKey());
                p.mark().str("storage").global("torch", storageClass(s.dtype())).str(s.key()).str("cpu")
                        .integer(s.data().length / s.dtype().size());
                if (legacyIds) {
                    p.op('N');
                }
                p.tuple().binpersid().memoize();
                storageMemo.put(v.storageKey(), p.nextMemo() - 1);
            }
            p.integer(v.offset());
            p.mark();
            for (long d : v.size()) {
                p.integer(d);
            }
            p.tuple().mark();
            for (long d : v.stride()) {
                p.integer(d);
            }
            p.tuple().bool(false).get(orderedDict).emptyTuple().reduce().tuple().reduce();
        }
        p.setitems();
        // torch's state_dict() carries `_metadata` as object state, set with BUILD
        p.emptyDict().mark().str("_metadata").emptyDict().setitems().build();
        if (nestInStateDict) {
            p.setitems();
        }
        return p.stop().toBytes();
    }

    /** The zip layout; {@code deflate} re-compresses the entries as some re-packers do. */
    public void writeZip(Path file, boolean deflate) throws IOException {
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
            entry(zip, "archive/data.pkl", pickle(), deflate);
            entry(zip, "archive/byteorder", "little".getBytes(StandardCharsets.US_ASCII), deflate);
            for (Storage s : storages.values()) {
                entry(zip, "archive/data/" + s.key(), s.data(), deflate);
            }
            entry(zip, "archive/version", "3\n".getBytes(StandardCharsets.US_ASCII), deflate);
        }
    }

    /** The pre-1.6 stream: magic, protocol, sys_info, object, keys, then the storages. */
    public void writeLegacy(Path file) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        // magic number 0x1950a86a20f9469cfc6c as LONG1 (10 bytes, little-endian two's complement)
        out.write(new byte[] {(byte) 0x80, 2, (byte) 0x8a, 10, 0x6c, (byte) 0xfc, (byte) 0x9c, 0x46,
            (byte) 0xf9, 0x20, 0x6a, (byte) 0xa8, 0x50, 0x19, '.'});
        out.write(new PickleBuilder().proto(2).integer(1001).stop().toBytes());
        out.write(new PickleBuilder().proto(2).emptyDict().mark().str("little_endian").bool(true).setitems().stop().toBytes());
        out.write(pickle(true));
        PickleBuilder keys = new PickleBuilder().proto(2).op(']').mark();
        for (String k : storages.keySet()) {
            keys.str(k);
        }
        out.write(keys.op('e').stop().toBytes());
        for (Storage s : storages.values()) {
            out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(s.data().length / s.dtype().size()).array());
            out.write(s.data());
        }
        Files.write(file, out.toByteArray());
    }

    /** One zip entry, STORED (as torch writes) unless {@code deflate}. */
    public static void entry(ZipOutputStream zip, String name, byte[] data, boolean deflate) throws IOException {
        ZipEntry e = new ZipEntry(name);
        if (deflate) {
            e.setMethod(ZipEntry.DEFLATED);
        } else {
            e.setMethod(ZipEntry.STORED);
            e.setSize(data.length);
            e.setCompressedSize(data.length);
            CRC32 crc = new CRC32();
            crc.update(data);
            e.setCrc(crc.getValue());
        }
        zip.putNextEntry(e);
        ((OutputStream) zip).write(data);
        zip.closeEntry();
    }

    private static String storageClass(DType d) {
        return switch (d) {
            case F64 -> "DoubleStorage";
            case F32 -> "FloatStorage";
            case F16 -> "HalfStorage";
            case BF16 -> "BFloat16Storage";
            case I64 -> "LongStorage";
            case I32 -> "IntStorage";
            case I16 -> "ShortStorage";
            case I8 -> "CharStorage";
            case U8 -> "ByteStorage";
            case BOOL -> "BoolStorage";
            default -> throw new IllegalArgumentException(d + " has no torch storage class");
        };
    }

    private static long[] contiguousStride(long[] shape) {
        long[] stride = new long[shape.length];
        long s = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            stride[i] = s;
            s *= shape[i];
        }
        return stride;
    }
}
