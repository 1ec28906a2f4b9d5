package dev.bakehouse.tensor.ckpt;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bakehouse.tensor.DType;
import dev.bakehouse.tensor.TensorFileException;
import dev.bakehouse.testing.CkptWriter;
import dev.bakehouse.testing.ScratchDirs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Damaged checkpoints (zip and legacy) either load or fail with our error, never otherwise. */
class CkptFuzzTest {

    @TempDir
    Path dir;

    @Test
    void mutatedCheckpoints_loadOrFailWithOurErrorOnly() throws Exception {
        CkptWriter w = new CkptWriter().scalar("global_step", 3).nestInStateDict()
                .tensor("a", DType.F16, new long[] {2, 2}, new byte[8])
                .tensor("b", DType.I64, new long[] {2}, new byte[16])
                .view("aT", "a", 0, new long[] {2, 2}, new long[] {1, 2});
        Path zip = dir.resolve("z.ckpt");
        Path legacy = dir.resolve("l.pt");
        w.writeZip(zip, false);
        w.writeLegacy(legacy);
        byte[][] bases = {Files.readAllBytes(zip), Files.readAllBytes(legacy)};
        Random rnd = new Random(99);
        Path scratch = ScratchDirs.memoryBacked(dir);
        try {
            assertTrue(run(bases, rnd, scratch.resolve("fuzz.ckpt")) > 100, "most damaged checkpoints are refused");
        } finally {
            ScratchDirs.delete(scratch);
        }
    }

    /** Returns how many cases were refused. */
    private static int run(byte[][] bases, Random rnd, Path f) throws Exception {
        int refused = 0;
        for (int i = 0; i < 4000; i++) {
            byte[] b = bases[i % 2].clone();
            if (rnd.nextInt(4) == 0) {
                b = Arrays.copyOf(b, rnd.nextInt(b.length));
            } else {
                for (int k = 1 + rnd.nextInt(3); k > 0; k--) {
                    b[rnd.nextInt(b.length)] = (byte) rnd.nextInt(256);
                }
            }
            Files.write(f, b);
            try (CkptFile c = CkptFile.open(f)) {
                for (String name : c.names()) {
                    c.readFloats(name);
                }
            } catch (TensorFileException expected) {
                refused++;
            } catch (Exception | Error other) {
                throw new AssertionError("case " + i + " threw " + other, other);
            }
        }
        return refused;
    }
}
