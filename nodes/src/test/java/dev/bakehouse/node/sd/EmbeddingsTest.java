package dev.bakehouse.node.sd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bakehouse.model.ComputeDevice;
import dev.bakehouse.model.tokenizer.EmbeddingLookup;
import dev.bakehouse.model.tokenizer.TextualInversion;
import dev.bakehouse.node.DataDirs;
import dev.bakehouse.testing.EmbeddingFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which file {@code embedding:name} means (ComfyUI's {@code load_embed} search) and how it is cached. */
class EmbeddingsTest {
    @TempDir
    Path root;
    @TempDir
    Path comfyInstall;

    private DataDirs dirs;
    private Path ours;
    private Path theirs;
    private ModelCache cache;
    private Embeddings embeddings;

    @BeforeEach
    void setUp() throws Exception {
        theirs = Files.createDirectories(comfyInstall.resolve("models/embeddings"));
        dirs = DataDirs.builder(root).comfyUi(comfyInstall).build();
        ours = dirs.models(DataDirs.EMBEDDINGS);
        cache = new ModelCache(ComputeDevice.CPU, 1);
        embeddings = new Embeddings(dirs, cache);
    }

    @AfterEach
    void tearDown() {
        cache.close();
    }

    private static Path write(Path file, float value) throws Exception {
        Files.createDirectories(file.getParent());
        float[] v = new float[4];
        java.util.Arrays.fill(v, value);
        return EmbeddingFiles.safetensors(file, "emb_params", new long[] {1, 4}, v);
    }

    @Test
    void name_isAFileNameWithOrWithoutItsExtension_orAPathBelowTheFolder() throws Exception {
        Path x = write(ours.resolve("x.pt"), 1);
        Path y = write(ours.resolve("style/y.safetensors"), 2);
        assertEquals(Optional.of(x), embeddings.file("x"));
        assertEquals(Optional.of(x), embeddings.file("x.pt"));
        assertEquals(Optional.of(y), embeddings.file("style/y"));
        assertEquals(Optional.of(y), embeddings.file("y"), "every folder below an embeddings folder is searched");
        assertEquals(Optional.empty(), embeddings.file("z"));
    }

    @Test
    void severalMatches_safetensorsBeforePtBeforeBin() throws Exception {
        write(ours.resolve("z.bin"), 1);
        write(ours.resolve("z.pt"), 1);
        Path st = write(ours.resolve("z.safetensors"), 1);
        assertEquals(Optional.of(st), embeddings.file("z"));
    }

    @Test
    void severalFolders_oursFirstShallowFirst_thenExtraInstalls() throws Exception {
        write(theirs.resolve("w.pt"), 1);
        Path deep = write(ours.resolve("a/b/w.pt"), 2);
        Path shallow = write(ours.resolve("z/w.pt"), 3);
        assertEquals(Optional.of(shallow), embeddings.file("w"));
        Files.delete(shallow);
        assertEquals(Optional.of(deep), embeddings.file("w"));
        Path only = write(theirs.resolve("only-there.safetensors"), 4);
        assertEquals(Optional.of(only), embeddings.file("only-there"));
    }

    @Test
    void nameLeadingOutOfTheFolders_findsNothing() throws Exception {
        write(root.resolve("secret.pt"), 1);
        assertEquals(Optional.empty(), embeddings.file("../../secret"));
        assertEquals(Optional.empty(), embeddings.file(root.resolve("secret.pt").toString()));
        assertEquals(Optional.empty(), embeddings.file(""));
    }

    @Test
    void sameFileVersion_isReadOnce_aReplacedFileAgain() throws Exception {
        Path f = write(ours.resolve("x.safetensors"), 1);
        EmbeddingLookup lookup = embeddings.forWidth(4);
        TextualInversion first = lookup.find("x").orElseThrow();
        assertSame(first, lookup.find("x").orElseThrow());

        EmbeddingFiles.safetensors(f, "emb_params", new long[] {2, 4}, new float[] {5, 5, 5, 5, 6, 6, 6, 6});
        Files.setLastModifiedTime(f, FileTime.fromMillis(Files.getLastModifiedTime(f).toMillis() + 2000));
        TextualInversion second = lookup.find("x").orElseThrow();
        assertNotSame(first, second);
        assertArrayEquals(new float[] {6, 6, 6, 6}, second.vector(1));
    }

    @Test
    void otherWidth_errorNamesTheFileAndBothWidths() throws Exception {
        write(ours.resolve("x.safetensors"), 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> embeddings.forWidth(768).find("x"));
        assertTrue(e.getMessage().contains("x.safetensors") && e.getMessage().contains("width 4")
                && e.getMessage().contains("768 wide"), e.getMessage());
    }

    @Test
    void unreadableFile_errorNamesIt() throws Exception {
        Files.writeString(ours.resolve("broken.pt"), "not an embedding");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> embeddings.forWidth(4).find("broken"));
        assertTrue(e.getMessage().contains("broken.pt"), e.getMessage());
    }
}
