package dev.bakehouse.tensor.ckpt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bakehouse.tensor.DType;
import dev.bakehouse.tensor.TensorFileException;
import dev.bakehouse.testing.CkptWriter;
import dev.bakehouse.testing.ScratchDirs;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damaged checkpoints (zip and legacy) either load or fail with our error, never otherwise; and
 * the damage that can be detected is: every truncated file, and every zip whose entry bytes
 * changed (their CRC-32 no longer matches).
 */
class CkptFuzzTest {
    private static final int CASES = 4000;

    @TempDir
    Path dir;

    /** What a case did to its file; decides whether a refusal is required. */
    private enum Damage { TRUNCATED, ZIP_ENTRY_BYTES, ZIP_STRUCTURE, LEGACY_BYTES, UNCHANGED }

    @Test
    void mutatedCheckpoints_loadOrFailWithOurErrorOnly_refusingAllDetectableDamage() throws Exception {
        CkptWriter w = new CkptWriter().scalar("global_step", 3).nestInStateDict()
                .tensor("a", DType.F16, new long[] {2, 2}, new byte[8])
                .tensor("b", DType.I64, new long[] {2}, new byte[16])
                .view("aT", "a", 0, new long[] {2, 2}, new long[] {1, 2});
        Path zip = dir.resolve("z.ckpt");
        Path legacy = dir.resolve("l.pt");
        w.writeZip(zip, false);
        w.writeLegacy(legacy);
        byte[][] bases = {Files.readAllBytes(zip), Files.readAllBytes(legacy)};
        boolean[] zipEntryBytes = entryBytes(zip, bases[0].length);
        Map<Damage, int[]> counts = new EnumMap<>(Damage.class); // {cases, refused}
        for (Damage d : Damage.values()) {
            counts.put(d, new int[2]);
        }
        Path scratch = ScratchDirs.memoryBacked(dir);
        try {
            Random rnd = new Random(99);
            Path f = scratch.resolve("fuzz.ckpt");
            for (int i = 0; i < CASES; i++) {
                boolean isZip = i % 2 == 0;
                byte[] base = bases[i % 2];
                byte[] b = base.clone();
                Damage damage;
                if (rnd.nextInt(4) == 0) {
                    b = Arrays.copyOf(b, rnd.nextInt(b.length));
                    damage = Damage.TRUNCATED;
                } else {
                    boolean entryChanged = false;
                    for (int k = 1 + rnd.nextInt(3); k > 0; k--) {
                        int at = rnd.nextInt(b.length);
                        b[at] = (byte) rnd.nextInt(256);
                        entryChanged |= isZip && zipEntryBytes[at] && b[at] != base[at];
                    }
                    damage = Arrays.equals(b, base) ? Damage.UNCHANGED
                            : !isZip ? Damage.LEGACY_BYTES
                            : entryChanged ? Damage.ZIP_ENTRY_BYTES : Damage.ZIP_STRUCTURE;
                }
                Files.write(f, b);
                counts.get(damage)[0]++;
                if (refused(f, i)) {
                    counts.get(damage)[1]++;
                }
            }
        } finally {
            ScratchDirs.delete(scratch);
        }
        StringBuilder summary = new StringBuilder();
        counts.forEach((d, n) -> summary.append(d).append(' ').append(n[1]).append('/').append(n[0]).append("  "));
        System.out.println("CKPT FUZZ refused/cases: " + summary);

        int[] truncated = counts.get(Damage.TRUNCATED);
        assertEquals(truncated[0], truncated[1], "every truncated file is refused: " + summary);
        int[] entry = counts.get(Damage.ZIP_ENTRY_BYTES);
        assertEquals(entry[0], entry[1], "every zip with changed entry bytes fails its CRC: " + summary);
        assertEquals(0, counts.get(Damage.UNCHANGED)[1], "an undamaged file loads: " + summary);
        // The checks above already require 1,911 refusals; the rest is what random bytes in zip
        // headers (many fields are never read: times, local sizes) and in legacy files (no
        // checksums; a changed storage byte loads) do. The seed is fixed, so only the zip's
        // timestamps (written at test time) move the count, by a case or two: 3,575 of 4,000
        // measured. The 2% slack also lets a reader change move a few borderline header cases; a
        // larger drop means damage now gets through.
        int total = counts.values().stream().mapToInt(n -> n[1]).sum();
        assertTrue(total >= 3500, "refused " + total + " of " + CASES + " (3,575 measured): " + summary);
    }

    /** Loads every tensor; true when the file was refused with our error. */
    private static boolean refused(Path f, int caseNumber) {
        try (CkptFile c = CkptFile.open(f)) {
            for (String name : c.names()) {
                c.readFloats(name);
            }
            return false;
        } catch (TensorFileException expected) {
            return true;
        } catch (Exception | Error other) {
            throw new AssertionError("case " + caseNumber + " threw " + other, other);
        }
    }

    /** Which bytes of the zip are some entry's data, covered by that entry's CRC-32. */
    private static boolean[] entryBytes(Path zip, int length) throws Exception {
        boolean[] covered = new boolean[length];
        try (FileChannel channel = FileChannel.open(zip)) {
            for (ZipDirectory.Entry e : ZipDirectory.read(zip, channel).entries().values()) {
                assertTrue(e.crc32() != 0 || e.size() == 0, e.name() + " has no CRC to check");
                Arrays.fill(covered, (int) e.dataOffset(), (int) (e.dataOffset() + e.compressedSize()), true);
            }
        }
        return covered;
    }
}
