package dev.bakehouse.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.bakehouse.testing.CkptWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TensorFilesTest {

    @TempDir
    Path dir;

    @Test
    void safetensorsWhoseHeaderLengthLooksLikeAPickleHeader_isStillSafetensors() throws Exception {
        Path f = dir.resolve("x.safetensors");
        SafetensorsWriter w = new SafetensorsWriter().addFloats("a", DType.F32, new long[] {1}, new float[] {1});
        for (int pad = 0; w.headerLength() != 640; pad++) { // a header of exactly 640 = 0x280 bytes
            w.metadata("pad", "p".repeat(pad));
        }
        assertEquals(640, w.headerLength(), "the header length's first bytes are 0x80 0x02, like pickle protocol 2");
        w.write(f);
        assertEquals(TensorFiles.Format.SAFETENSORS, TensorFiles.detect(f));
        try (TensorSource s = TensorFiles.open(f)) {
            assertEquals(1f, s.readFloats("a")[0]);
        }
    }

    @Test
    void zipAndLegacyCheckpoints_areCkpt() throws Exception {
        CkptWriter c = new CkptWriter().tensor("a", DType.F32, new long[] {1}, new byte[4]);
        Path zip = dir.resolve("a.ckpt");
        Path legacy = dir.resolve("b.pt");
        c.writeZip(zip, false);
        c.writeLegacy(legacy);
        assertEquals(TensorFiles.Format.CKPT, TensorFiles.detect(zip));
        assertEquals(TensorFiles.Format.CKPT, TensorFiles.detect(legacy));
    }
}
