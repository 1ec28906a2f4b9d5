package dev.bakehouse.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Freezes {@code /object_info} of the basic nodes: the text (key order included) must equal the
 * golden file exactly. Set {@code -Dbakehouse.updateGolden=<path>} to write a new one for review.
 */
class ObjectInfoGoldenTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void basicNodes_matchTheGoldenFileExactly() throws IOException {
        DataDirs dirs = DataDirs.of(tmp);
        Files.writeString(dirs.input().resolve("b.jpg"), "x");
        Files.writeString(dirs.input().resolve("a.png"), "x");
        Files.writeString(dirs.input().resolve("notes.txt"), "x");
        ObjectNode info = new ObjectInfo(NodeRegistry.of(BasicNodes.all(dirs, new Random(0)))).all();
        GoldenFiles.assertMatches("/object_info/basic_nodes.json", info);
    }

    @Test
    void seedInput_showsTheExactUnsigned64BitMax() throws IOException {
        NodeSpec spec = NodeSpec.builder("SeedTaker")
                .required(InputSpec.IntInput.seed("seed"), InputSpec.IntInput.of("steps", 20, 1, 10000))
                .build();
        ObjectNode info = ObjectInfo.definition(spec);
        String actual = GoldenFiles.text(info);
        assertEquals(GoldenFiles.read("/object_info/seed_input.json"), actual);

        JsonNode max = info.at("/input/required/seed/1/max");
        assertTrue(max.isBigInteger(), "an exact integer, not " + max.getNodeType());
        assertEquals("18446744073709551615", max.toString());
        assertEquals(JSON.readTree(actual), info, "the tree equals its own text parsed back");
    }

    @Test
    void one_unknownClass_isAnEmptyObject() {
        ObjectInfo info = new ObjectInfo(NodeRegistry.of(BasicNodes.all(DataDirs.of(tmp))));
        assertEquals(JSON.createObjectNode(), info.one("NoSuchNode"));
        assertEquals(1, info.one("PrimitiveInt").size());
    }

    @Test
    void comboOptions_areReadAtCallTime() throws IOException {
        DataDirs dirs = DataDirs.of(tmp);
        ObjectInfo info = new ObjectInfo(NodeRegistry.of(BasicNodes.all(dirs)));
        assertEquals("[[],{\"image_upload\":true}]",
                info.one("LoadImage").at("/LoadImage/input/required/image").toString());
        Files.writeString(dirs.input().resolve("new.png"), "x");
        assertEquals("[[\"new.png\"],{\"image_upload\":true}]",
                info.one("LoadImage").at("/LoadImage/input/required/image").toString());
    }
}
