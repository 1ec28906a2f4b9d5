package dev.bakehouse.tensor.ckpt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.bakehouse.testing.EmbeddingFiles;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link CkptFile#openNested}: tensors inside nested dicts, named by their dotted key path. */
class CkptNestedTest {
    @TempDir
    Path dir;

    @Test
    void a1111Embedding_nestedTensorIsNamedByItsKeyPath_scalarsAreMetadata() throws Exception {
        float[] v = {1, 2, 3, 4, 5, 6};
        Path f = EmbeddingFiles.a1111Pt(dir.resolve("x.pt"), new long[] {2, 3}, v);
        try (CkptFile nested = CkptFile.openNested(f)) {
            assertEquals(List.of("string_to_param.*"), nested.names());
            assertArrayEquals(new long[] {2, 3}, nested.info("string_to_param.*").shape());
            assertArrayEquals(v, nested.readFloats("string_to_param.*"));
            assertEquals(Map.of("name", "x", "step", "1500", "sd_checkpoint", "a9e5ad1b",
                    "sd_checkpoint_name", "v1-5-pruned"), nested.metadata());
        }
        try (CkptFile stateDict = CkptFile.open(f)) {
            assertEquals(List.of(), stateDict.names(), "a state dict holds only top-level tensors");
        }
    }
}
