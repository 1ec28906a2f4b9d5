package dev.bakehouse.tensor.ckpt;

import dev.bakehouse.tensor.TensorFileException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * The central directory of a zip file, read so that each entry's data can be addressed by its
 * absolute file offset. {@code torch.save} writes its archives uncompressed (STORED) and
 * 64-byte aligned, so tensor storages can be memory-mapped in place; {@link java.util.zip.ZipFile}
 * does not expose offsets, hence this reader. ZIP64 (archives and entries over 4 GB) is handled.
 */
final class ZipDirectory {

    /**
     * One file in the archive. {@code dataOffset} is where its (possibly compressed) bytes start;
     * {@code crc32} is the CRC-32 of its uncompressed bytes as the central directory records it.
     */
    record Entry(String name, int method, long compressedSize, long size, long dataOffset, long crc32) {
        boolean stored() {
            return method == 0;
        }
    }

    private static final int EOCD = 0x06054b50;
    private static final int ZIP64_LOCATOR = 0x07064b50;
    private static final int ZIP64_EOCD = 0x06064b50;
    private static final int CENTRAL = 0x02014b50;
    private static final int LOCAL = 0x04034b50;
    private static final long MAX_INFLATED = Integer.MAX_VALUE - 8;
    private static final long CRC_WINDOW = 1L << 30;

    private final Path path;
    private final FileChannel channel;
    private final long size;
    private final Map<String, Entry> entries;

    private ZipDirectory(Path path, FileChannel channel, long size, Map<String, Entry> entries) {
        this.path = path;
        this.channel = channel;
        this.size = size;
        this.entries = entries;
    }

    /** True when the file starts with a zip local header. */
    static boolean looksLikeZip(ByteBuffer firstBytes) {
        return firstBytes.remaining() >= 4 && firstBytes.order(ByteOrder.LITTLE_ENDIAN).getInt(0) == LOCAL;
    }

    /** Where the central directory lies and how many entries it lists (from the EOCD record). */
    private record CentralDirectory(long count, long offset, long size) {}

    static ZipDirectory read(Path path, FileChannel channel) throws IOException {
        long size = channel.size();
        CentralDirectory dir = locateCentralDirectory(path, channel, size);
        ByteBuffer cd = read(channel, checkRange(path, dir.offset(), dir.size(), size), (int) dir.size(), path);
        Map<String, Entry> entries = new LinkedHashMap<>();
        int p = 0;
        for (long i = 0; i < dir.count(); i++) {
            need(path, cd, p, 46);
            if (cd.getInt(p) != CENTRAL) {
                throw new TensorFileException(path, null, "zip central directory entry " + i + " has a bad signature");
            }
            int method = cd.getShort(p + 10) & 0xffff;
            long crc = cd.getInt(p + 16) & 0xffffffffL;
            long csize = cd.getInt(p + 20) & 0xffffffffL;
            long usize = cd.getInt(p + 24) & 0xffffffffL;
            int nameLen = cd.getShort(p + 28) & 0xffff;
            int extraLen = cd.getShort(p + 30) & 0xffff;
            int commentLen = cd.getShort(p + 32) & 0xffff;
            long local = cd.getInt(p + 42) & 0xffffffffL;
            need(path, cd, p + 46, nameLen + extraLen + commentLen);
            byte[] nameBytes = new byte[nameLen];
            cd.get(p + 46, nameBytes);
            String name = new String(nameBytes, StandardCharsets.UTF_8);
            // ZIP64 extra field: the 64-bit values appear only for the fields that hold 0xFFFFFFFF.
            for (int e = p + 46 + nameLen; e + 4 <= p + 46 + nameLen + extraLen; ) {
                int id = cd.getShort(e) & 0xffff;
                int len = cd.getShort(e + 2) & 0xffff;
                if (id == 0x0001) {
                    int q = e + 4;
                    int end = Math.min(q + len, p + 46 + nameLen + extraLen);
                    if (usize == 0xffffffffL && q + 8 <= end) { usize = cd.getLong(q); q += 8; }
                    if (csize == 0xffffffffL && q + 8 <= end) { csize = cd.getLong(q); q += 8; }
                    if (local == 0xffffffffL && q + 8 <= end) { local = cd.getLong(q); }
                }
                e += 4 + len;
            }
            ByteBuffer lh = read(channel, checkRange(path, local, 30, size), 30, path);
            if (lh.getInt(0) != LOCAL) {
                throw new TensorFileException(path, name, "zip local header missing at offset " + local);
            }
            long dataOffset = local + 30 + (lh.getShort(26) & 0xffff) + (lh.getShort(28) & 0xffff);
            checkRange(path, dataOffset, csize, size);
            if (entries.putIfAbsent(name, new Entry(name, method, csize, usize, dataOffset, crc)) != null) {
                throw new TensorFileException(path, name, "zip entry appears twice");
            }
            p += 46 + nameLen + extraLen + commentLen;
        }
        return new ZipDirectory(path, channel, size, entries);
    }

    /**
     * Finds the end-of-central-directory record in the file's last 64 KiB (its comment may be that
     * long), following the ZIP64 locator when there is one.
     */
    private static CentralDirectory locateCentralDirectory(Path path, FileChannel channel, long size)
            throws IOException {
        int tailLen = (int) Math.min(size, 22 + 65535 + 20);
        ByteBuffer tail = read(channel, size - tailLen, tailLen, path);
        int eocd = -1;
        for (int i = tailLen - 22; i >= 0; i--) {
            if (tail.getInt(i) == EOCD) {
                eocd = i;
                break;
            }
        }
        if (eocd < 0) {
            throw new TensorFileException(path, null, "zip end-of-central-directory record not found (truncated file?)");
        }
        long count = tail.getShort(eocd + 10) & 0xffffL;
        long cdSize = tail.getInt(eocd + 12) & 0xffffffffL;
        long cdOffset = tail.getInt(eocd + 16) & 0xffffffffL;
        if (eocd >= 20 && tail.getInt(eocd - 20) == ZIP64_LOCATOR) {
            long z64 = tail.getLong(eocd - 20 + 8);
            ByteBuffer rec = read(channel, checkRange(path, z64, 56, size), 56, path);
            if (rec.getInt(0) != ZIP64_EOCD) {
                throw new TensorFileException(path, null, "zip64 end-of-central-directory record missing at " + z64);
            }
            count = rec.getLong(32);
            cdSize = rec.getLong(40);
            cdOffset = rec.getLong(48);
        }
        if (cdSize > 256L * 1024 * 1024 || count > 10_000_000) {
            throw new TensorFileException(path, null, "zip central directory of " + cdSize + " bytes / " + count + " entries is implausible");
        }
        return new CentralDirectory(count, cdOffset, cdSize);
    }

    Map<String, Entry> entries() {
        return entries;
    }

    /** The whole content of a (small) entry, inflated if it is compressed. */
    ByteBuffer content(Entry e, long limit) throws IOException {
        if (e.size() > limit || e.size() > MAX_INFLATED) {
            throw new TensorFileException(path, e.name(), "zip entry of " + e.size() + " bytes is larger than " + Math.min(limit, MAX_INFLATED));
        }
        if (e.stored()) {
            if (e.compressedSize() != e.size()) {
                throw new TensorFileException(path, e.name(), "stored zip entry has sizes " + e.compressedSize() + " != " + e.size());
            }
            return verified(e, read(channel, e.dataOffset(), (int) e.size(), path));
        }
        if (e.method() != 8) {
            throw new TensorFileException(path, e.name(), "zip compression method " + e.method() + " is not supported (expected stored or deflate)");
        }
        if (e.compressedSize() > MAX_INFLATED) {
            throw new TensorFileException(path, e.name(), "compressed zip entry over 2 GB is not supported");
        }
        ByteBuffer in = read(channel, e.dataOffset(), (int) e.compressedSize(), path);
        Inflater inflater = new Inflater(true);
        try {
            inflater.setInput(in);
            ByteBuffer out = ByteBuffer.allocate((int) e.size()).order(ByteOrder.LITTLE_ENDIAN);
            while (out.hasRemaining() && !inflater.finished()) {
                if (inflater.inflate(out) == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    break;
                }
            }
            if (out.hasRemaining()) {
                throw new TensorFileException(path, e.name(), "deflated zip entry ended after " + out.position() + " of " + e.size() + " bytes");
            }
            return verified(e, out.flip());
        } catch (DataFormatException ex) {
            throw new TensorFileException(path, e.name(), "corrupt deflate data: " + ex.getMessage(), ex);
        } finally {
            inflater.end();
        }
    }

    /**
     * Checks a STORED entry's bytes in the file against its CRC-32, reading in mapped windows so
     * that a multi-gigabyte storage costs no heap (CRC-32 runs at several GB/s).
     */
    void verifyStored(Entry e) throws IOException {
        CRC32 crc = new CRC32();
        for (long done = 0; done < e.size(); ) {
            long window = Math.min(CRC_WINDOW, e.size() - done);
            crc.update(channel.map(FileChannel.MapMode.READ_ONLY, e.dataOffset() + done, window));
            done += window;
        }
        checkCrc(e, crc.getValue());
    }

    private ByteBuffer verified(Entry e, ByteBuffer content) throws TensorFileException {
        CRC32 crc = new CRC32();
        crc.update(content.duplicate());
        checkCrc(e, crc.getValue());
        return content;
    }

    /**
     * torch.save(…) after {@code torch.serialization.set_crc32_options(False)} records 0 for every
     * entry (and torch.load never checks), so a recorded 0 is "not computed", not a mismatch.
     */
    private void checkCrc(Entry e, long actual) throws TensorFileException {
        if (e.crc32() != 0 && actual != e.crc32()) {
            throw new TensorFileException(path, null, String.format(
                    "zip entry '%s' is corrupt: its bytes have CRC-32 %08x but the archive recorded %08x "
                            + "(a damaged download or copy; get the file again)", e.name(), actual, e.crc32()));
        }
    }

    private static long checkRange(Path path, long offset, long len, long size) throws TensorFileException {
        if (offset < 0 || len < 0 || offset > size - len) {
            throw new TensorFileException(path, null, "zip structure points outside the file (" + offset + "+" + len + " > " + size + ")");
        }
        return offset;
    }

    private static void need(Path path, ByteBuffer b, int at, int len) throws TensorFileException {
        if (at + len > b.limit()) {
            throw new TensorFileException(path, null, "zip central directory is truncated");
        }
    }

    static ByteBuffer read(FileChannel ch, long offset, int len, Path path) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(len).order(ByteOrder.LITTLE_ENDIAN);
        long pos = offset;
        while (b.hasRemaining()) {
            int n = ch.read(b, pos);
            if (n < 0) {
                throw new TensorFileException(path, null, "unexpected end of file at " + pos);
            }
            pos += n;
        }
        return b.flip();
    }
}
