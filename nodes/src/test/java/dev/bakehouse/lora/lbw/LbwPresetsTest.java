package dev.bakehouse.lora.lbw;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bakehouse.lora.format.LbwBlock;
import dev.bakehouse.lora.ops.LoraBlockWeights;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LbwPresetsTest {
    @TempDir
    Path tmp;

    /** The blocks each built-in 17-value preset of the extension switches on (spec b5 table). */
    private static final Map<String, Set<LbwBlock>> ON = new LinkedHashMap<>();

    static {
        Set<LbwBlock> all17 = blocks(LoraBlockWeights.BLOCKS17);
        ON.put("NONE", EnumSet.noneOf(LbwBlock.class));
        ON.put("ALL", all17);
        ON.put("INS", blocks(List.of("BASE", "IN01", "IN02", "IN04")));
        ON.put("IND", blocks(List.of("BASE", "IN05", "IN07", "IN08")));
        ON.put("INALL", blocks(List.of("BASE", "IN01", "IN02", "IN04", "IN05", "IN07", "IN08")));
        ON.put("MIDD", blocks(List.of("BASE", "IN05", "IN07", "IN08", "M00", "OUT03", "OUT04", "OUT05", "OUT06")));
        ON.put("OUTD", blocks(List.of("BASE", "OUT03", "OUT04", "OUT05", "OUT06")));
        ON.put("OUTS", blocks(List.of("BASE", "OUT07", "OUT08", "OUT09", "OUT10", "OUT11")));
        ON.put("OUTALL", blocks(List.of("BASE", "OUT03", "OUT04", "OUT05", "OUT06", "OUT07", "OUT08", "OUT09",
                "OUT10", "OUT11")));
    }

    private static Set<LbwBlock> blocks(List<String> ids) {
        Set<LbwBlock> s = EnumSet.noneOf(LbwBlock.class);
        ids.forEach(id -> s.add(LbwBlock.parse(id)));
        return s;
    }

    @Test
    void builtIn_everyExtensionPreset_switchesOnExactlyItsBlocks_andTheRestOfThe26AreZero() {
        assertEquals(List.of("NONE", "ALL", "INS", "IND", "INALL", "MIDD", "OUTD", "OUTS", "OUTALL", "ALL0.5", "FLUXALL"),
                List.copyOf(LbwPresets.EXTENSION.keySet()));
        for (var e : ON.entrySet()) {
            LoraBlockWeights w = LbwPresets.builtIn().blockWeights(e.getKey(), "test");
            for (LbwBlock b : LbwBlock.values()) {
                assertEquals(e.getValue().contains(b) ? 1f : 0f, w.ratio(b), e.getKey() + " " + b);
            }
        }
        LoraBlockWeights half = LbwPresets.builtIn().blockWeights("ALL0.5", "test");
        for (LbwBlock b : LbwBlock.values()) {
            assertEquals(ON.get("ALL").contains(b) ? 0.5f : 0f, half.ratio(b), b.id());
        }
    }

    @Test
    void blockWeights_17ValueVector_expandsWithZerosLikeTo26() {
        LoraBlockWeights w = LbwPresets.builtIn().blockWeights("0.8,1,0.5,0,0.25,1,0.75,0.6,1,0.3,0,0.9,0.5,1,0.4,0.7,0.2", "t");
        assertArrayEquals(new float[] {0.8f, 0, 1, 0.5f, 0, 0, 0.25f, 0, 1, 0.75f, 0, 0, 0, 0.6f, 0, 0, 0, 1, 0.3f, 0,
                0.9f, 0.5f, 1, 0.4f, 0.7f, 0.2f}, w.ratios26());
        float[] v26 = new float[26];
        for (int i = 0; i < 26; i++) {
            v26[i] = i / 25f;
        }
        StringBuilder text = new StringBuilder();
        for (float v : v26) {
            text.append(text.length() == 0 ? "" : ",").append(v);
        }
        assertArrayEquals(v26, LbwPresets.builtIn().blockWeights(text.toString(), "t").ratios26());
        LoraBlockWeights xl = LbwPresets.builtIn().blockWeights("SDXL-OUTALL", "t");
        assertEquals(1f, xl.ratio(LbwBlock.OUT00));
        assertEquals(0f, xl.ratio(LbwBlock.IN04));
    }

    @Test
    void blockWeights_oddLengths_areRefusedNamingTheCount() {
        IllegalArgumentException five = assertThrows(IllegalArgumentException.class,
                () -> LbwPresets.builtIn().blockWeights("1,0,1,0,1", "lbw=1,0,1,0,1"));
        assertTrue(five.getMessage().contains("17 or 26") && five.getMessage().contains("found 5"), five.getMessage());
        IllegalArgumentException flux = assertThrows(IllegalArgumentException.class,
                () -> LbwPresets.builtIn().blockWeights("FLUXALL", "lbw"));
        assertTrue(flux.getMessage().contains("Flux"), flux.getMessage());
        IllegalArgumentException lyc = assertThrows(IllegalArgumentException.class,
                () -> LbwPresets.builtIn().blockWeights("SD-LyC-ALL", "lbw"));
        assertTrue(lyc.getMessage().contains("27") && lyc.getMessage().contains("LoraLoaderBlockWeight"), lyc.getMessage());
    }

    @Test
    void blockWeights_unknownPresetOrBadValue_namesItAndTheKnownPresets() {
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> LbwPresets.builtIn().blockWeights("NCNF", "lbw"));
        assertTrue(unknown.getMessage().contains("'NCNF' is not a block weight preset")
                && unknown.getMessage().contains("OUTALL"), unknown.getMessage());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> LbwPresets.builtIn().blockWeights("1,1,1,q,1,1,1,1,1,1,1,1,1,1,1,1,1", "lbw"));
        assertTrue(bad.getMessage().contains("value 4 ('q')"), bad.getMessage());
    }

    @Test
    void blockWeights_randomAndInheritedEntries_drawInTheExtensionsRanges() {
        LbwVector v = LbwVector.parse("R,U,X,X+0.25,X-0.5,1,1,1,1,1,1,1,1,1,1,1,1", LbwEntry.Dialect.EXTENSION, "t");
        assertTrue(v.isRandom());
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 200; i++) {
            float[] r = v.resolve(new LbwEntry.Context(LbwEntry.Dialect.EXTENSION, random, 0.5f, 0, 0));
            assertTrue(r[0] >= 0f && r[0] <= 1f, "R " + r[0]);
            assertTrue(r[1] >= -0.5f && r[1] <= 1.5f, "U " + r[1]);
            assertEquals(Math.rint(r[0] * 1000) / 1000, r[0], 1e-6, "rounded to 3 decimals");
            assertEquals(0.5f, r[2]);
            assertEquals(0.75f, r[3]);
            assertEquals(0f, r[4]);
        }
        assertEquals(LbwPresets.builtIn().blockWeights("R,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1", "t"),
                LbwPresets.builtIn().blockWeights("R,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1", "t"), "seeded draws repeat");
    }

    @Test
    void parseFile_readsNameVectorLines_skipsCommentsAndInspireXySpecs() {
        Map<String, String> p = LbwPresets.parseFile("""
                # my presets
                NCNF:1,1,1,1,1,1,1,1,0,0,0,0,1,1,1,1,1

                face:1,0,0,0,0,0,0,0,0.8,1,1,0.2,0,0,0,0,0  # from issue 92
                @SD-BLOCK1-TEST:17,12,1
                RAND : 1,R,U,X,1,1,1,1,1,1,1,1,1,1,1,1,1
                SD-AB2:A,B,B,B,B,B,B,B,B,B,B,B,A,A,A,A,A
                """, "presets.txt");
        assertEquals(List.of("NCNF", "RAND", "SD-AB2"), List.copyOf(p.keySet()));
        assertEquals("1,R,U,X,1,1,1,1,1,1,1,1,1,1,1,1,1", p.get("RAND"));
    }

    @Test
    void parseFile_badLines_failNamingFileLineAndProblem() {
        IllegalArgumentException noColon = assertThrows(IllegalArgumentException.class,
                () -> LbwPresets.parseFile("\nNCNF 1,1,1\n", "p.txt"));
        assertTrue(noColon.getMessage().startsWith("p.txt:2: expected NAME:v,v"), noColon.getMessage());
        IllegalArgumentException shortLine = assertThrows(IllegalArgumentException.class,
                () -> LbwPresets.parseFile("NCNF:1,0,1\n", "p.txt"));
        assertTrue(shortLine.getMessage().startsWith("p.txt:1: preset NCNF: 3 values"), shortLine.getMessage());
        IllegalArgumentException badValue = assertThrows(IllegalArgumentException.class,
                () -> LbwPresets.parseFile("OK:1,1,1,1,1,1,1,1,1,1,1,1\nBAD:1,1,1,1,1,1,1,1,1,1,1,one\n", "p.txt"));
        assertTrue(badValue.getMessage().startsWith("p.txt:2: preset BAD: value 12 ('one')"), badValue.getMessage());
    }

    @Test
    void withFiles_userPresetsAddAndOverrideBuiltIns_laterFilesWin_missingFilesSkipped() throws Exception {
        Path a1111 = Files.writeString(tmp.resolve("lbwpresets.txt"), "NCNF:1,1,1,1,1,1,1,1,0,0,0,0,0,0,0,0,0\n"
                + "ALL:0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0\n");
        Path ours = Files.writeString(tmp.resolve("presets.txt"), "NCNF:1,1,1,1,1,1,1,1,0,0,0,1,1,1,1,1,1\n");
        LbwPresets p = LbwPresets.builtIn().withFiles(List.of(a1111, tmp.resolve("absent.txt"), ours));
        assertEquals(List.of(a1111, ours), p.files());
        LoraBlockWeights ncnf = p.blockWeights("NCNF", "t");
        assertEquals(0f, ncnf.ratio(LbwBlock.OUT03));
        assertEquals(0f, ncnf.ratio(LbwBlock.OUT05));
        assertEquals(1f, ncnf.ratio(LbwBlock.OUT06));
        assertEquals(0f, p.blockWeights("ALL", "t").ratio(LbwBlock.IN01), "the user file's ALL replaces the built-in");
        assertEquals(p.blockWeights("NCNF", "t"), p.blockWeights("ncnf", "t"), "names match ignoring case");
    }
}
