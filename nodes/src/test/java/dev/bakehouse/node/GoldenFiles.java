package dev.bakehouse.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Golden {@code /object_info} texts under test resources. The text is compared, not the tree, so
 * key order and number spelling are frozen too. {@code -Dbakehouse.updateGolden=<path>} writes
 * the actual text there for review instead of hand-editing a golden file.
 */
public final class GoldenFiles {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private GoldenFiles() {}

    /** The text a golden file holds for {@code json}: indented, with a final newline. */
    public static String text(JsonNode json) throws IOException {
        return JSON.writeValueAsString(json) + "\n";
    }

    /** Asserts that {@code json}'s text equals the golden resource, after writing it out if asked. */
    public static void assertMatches(String resource, JsonNode json) throws IOException {
        String actual = text(json);
        String update = System.getProperty("bakehouse.updateGolden");
        if (update != null) {
            Files.writeString(Path.of(update), actual);
        }
        assertEquals(read(resource), actual);
    }

    /** The golden resource's text, or a line naming it when it is missing (so the diff says why). */
    public static String read(String resource) throws IOException {
        try (InputStream in = GoldenFiles.class.getResourceAsStream(resource)) {
            return in == null ? "(no golden file " + resource + ")" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
