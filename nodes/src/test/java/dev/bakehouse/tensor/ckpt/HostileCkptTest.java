package dev.bakehouse.tensor.ckpt;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bakehouse.tensor.TensorFileException;
import dev.bakehouse.testing.PickleBuilder;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pickles that would run code under Python's pickle are refused, and nothing runs. */
class HostileCkptTest {

    @TempDir
    Path dir;

    @Test
    void osSystemInARealArchive_isRefusedNamingTheGlobalAndNothingRuns() throws Exception {
        Path marker = dir.resolve("pwned");
        byte[] pickle = new PickleBuilder().proto(2)
                .global("os", "system").str("touch " + marker).op(0x85).reduce().stop().toBytes();
        Path f = zipWith(pickle);
        TensorFileException e = assertThrows(TensorFileException.class, () -> CkptFile.open(f));
        assertTrue(e.getMessage().contains("'os.system' is forbidden"), e.getMessage());
        assertFalse(Files.exists(marker));
    }

    @Test
    void builtinsEval_isRefused() {
        byte[] pickle = new PickleBuilder().proto(2)
                .global("builtins", "eval").str("__import__('os').system('id')").op(0x85).reduce().stop().toBytes();
        assertRefused(pickle, "'builtins.eval' is forbidden");
    }

    @Test
    void stackGlobalPosixSystem_isRefused() {
        byte[] pickle = new PickleBuilder().proto(2)
                .str("posix").str("system").op(0x93).str("id").op(0x85).reduce().stop().toBytes();
        assertRefused(pickle, "'posix.system' is forbidden");
    }

    @Test
    void torchLoadAndGetattr_areRefusedEvenThoughTheyLookHarmless() {
        assertRefused(new PickleBuilder().proto(2).global("torch", "load").stop().toBytes(), "'torch.load' is forbidden");
        assertRefused(new PickleBuilder().proto(2).global("__builtin__", "getattr").stop().toBytes(),
                "'__builtin__.getattr' is forbidden");
    }

    @Test
    void instAndObjOpcodes_areRefused() {
        byte[] inst = new PickleBuilder().proto(2).mark().str("id").op('i')
                .raw('o').raw('s').raw('\n').raw('s').raw('y').raw('s').raw('t').raw('e').raw('m').raw('\n').stop().toBytes();
        assertRefused(inst, "opcode 0x69");
        byte[] obj = new PickleBuilder().proto(2).mark().global("collections", "OrderedDict").op('o').stop().toBytes();
        assertRefused(obj, "opcode 0x6f");
    }

    @Test
    void reduceTricksOnAllowedGlobals_areRefused() {
        // OrderedDict called with arguments (a __reduce__ smuggling data through a constructor)
        byte[] withArgs = new PickleBuilder().proto(2).global("collections", "OrderedDict")
                .op(']').op(0x85).reduce().stop().toBytes();
        assertRefused(withArgs, "OrderedDict with constructor arguments");
        // REDUCE whose callable is not a global at all
        byte[] callString = new PickleBuilder().proto(2).str("os.system").emptyTuple().reduce().stop().toBytes();
        assertRefused(callString, "REDUCE on a non-global");
        // _rebuild_tensor_v2 whose "storage" is not a torch storage persistent id
        byte[] fakeStorage = new PickleBuilder().proto(2).global("torch._utils", "_rebuild_tensor_v2")
                .mark().str("not a storage").integer(0).emptyTuple().emptyTuple().tuple().reduce().stop().toBytes();
        assertRefused(fakeStorage, "_rebuild_tensor_v2 expects");
        // a persistent id that is not ('storage', torch type, key, location, numel)
        byte[] pid = new PickleBuilder().proto(2).mark().str("storage").global("collections", "OrderedDict")
                .str("0").str("cpu").integer(1).tuple().binpersid().stop().toBytes();
        assertRefused(pid, "not a torch storage type");
    }

    @Test
    void parameterWrappers_yieldTheirTensor() throws Exception {
        for (String rebuild : new String[] {"_rebuild_parameter", "_rebuild_parameter_with_state"}) {
            byte[] pickle = new PickleBuilder().proto(2).global("torch._utils", rebuild)
                    .mark().global("torch._utils", "_rebuild_tensor_v2")
                    .mark().mark().str("storage").global("torch", "FloatStorage").str("0").str("cpu").integer(2).tuple().binpersid()
                    .integer(0).mark().integer(2).tuple().mark().integer(1).tuple().bool(false)
                    .global("collections", "OrderedDict").emptyTuple().reduce().tuple().reduce()
                    .bool(true).tuple().reduce().stop().toBytes();
            Object v = SafeUnpickler.load(Path.of("p.ckpt"), ByteBuffer.wrap(pickle));
            assertTrue(v instanceof PickleValues.TensorRef t && t.size()[0] == 2, rebuild + " gave " + v);
        }
    }

    @Test
    void extensionCodesAndTextPersistentIds_areRefused() {
        assertRefused(new byte[] {(byte) 0x80, 2, (byte) 0x82, 1, '.'}, "opcode 0x82");
        assertRefused(new byte[] {(byte) 0x80, 2, 'P', 'x', '\n', '.'}, "opcode 0x50");
    }

    @Test
    void truncatedAndHugeLengthPickles_failCleanly() {
        assertRefused(new byte[] {(byte) 0x80, 2, 'X', (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x7f}, "runs past the end");
        assertRefused(new byte[] {(byte) 0x80, 2, '}'}, "ends early");
        assertRefused(new byte[] {(byte) 0x80, 2, 'h', 9, '.'}, "memo key 9");
    }

    private static void assertRefused(byte[] pickle, String expected) {
        TensorFileException e = assertThrows(TensorFileException.class,
                () -> SafeUnpickler.load(Path.of("hostile.ckpt"), ByteBuffer.wrap(pickle)));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    private Path zipWith(byte[] pickle) throws IOException {
        Path f = dir.resolve("hostile.ckpt");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(f))) {
            zip.putNextEntry(new ZipEntry("archive/data.pkl"));
            ((OutputStream) zip).write(pickle);
            zip.closeEntry();
            zip.putNextEntry(new ZipEntry("archive/version"));
            zip.write("3\n".getBytes(StandardCharsets.US_ASCII));
            zip.closeEntry();
        }
        return f;
    }
}
