package dev.bakehouse.model.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bakehouse.testing.Fixtures;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundledTokenizerTest {
    @TempDir
    Path tmp;

    @Test
    void derivedVocab_equalsHfVocabJson_entryForEntry() throws IOException {
        Map<String, Integer> expected = new ObjectMapper().readValue(
                Fixtures.file("clip-tokenizer/vocab.json").toFile(), new TypeReference<HashMap<String, Integer>>() {});
        ClipBpe derived = ClipBpe.load(BundledTokenizer.files());
        assertEquals(expected.size(), derived.vocabSize());
        for (Map.Entry<String, Integer> e : expected.entrySet()) {
            assertEquals(e.getValue(), derived.idOf(e.getKey()), "id of " + e.getKey());
        }
    }

    @Test
    void bundledMerges_areHfMergesTxt_byteForByte() throws IOException {
        byte[] bundled;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(BundledTokenizer.files().merges()))) {
            bundled = in.readAllBytes();
        }
        byte[] hf = Files.readAllBytes(Fixtures.file("clip-tokenizer/merges.txt"));
        assertEquals(hf.length, bundled.length);
        assertTrue(Arrays.equals(hf, bundled), "bundled merges differ from the fixture's merges.txt");
    }

    @Test
    void mergesOnly_plainAndGzipped_giveSameTokenizer() throws IOException {
        String merges = "#version: 0.2\nc a\nca t</w>\n";
        Path plain = tmp.resolve("merges.txt");
        Files.writeString(plain, merges);
        Path gz = tmp.resolve("merges.txt.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write(merges.getBytes(StandardCharsets.UTF_8));
        }
        for (Path file : new Path[] {plain, gz}) {
            ClipBpe bpe = ClipBpe.load(TokenizerFiles.mergesOnly(file));
            assertEquals(512 + 2 + 2, bpe.vocabSize(), file.toString());
            assertEquals(513, bpe.idOf("cat</w>"), file.toString());
            assertEquals(513, bpe.encodeWord("cat")[0], file.toString());
            assertEquals(512 + 2, bpe.idOf(ClipPreTokenizer.START_OF_TEXT), file.toString());
        }
    }

    @Test
    void mergesOnly_missingHeader_namesFileAndLine() throws IOException {
        Path bad = tmp.resolve("merges.txt");
        Files.writeString(bad, "c a\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ClipBpe.load(TokenizerFiles.mergesOnly(bad)));
        assertTrue(e.getMessage().contains(bad.toString()) && e.getMessage().contains("#version"), e.getMessage());
    }
}
