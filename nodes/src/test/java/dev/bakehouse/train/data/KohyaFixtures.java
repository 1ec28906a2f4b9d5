package dev.bakehouse.train.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bakehouse.testing.Fixtures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** Reads {@code kohya-dataset/*.json} for the dataset tests. */
final class KohyaFixtures {
    private static final ObjectMapper JSON = new ObjectMapper();

    private KohyaFixtures() {}

    static JsonNode read(String name) {
        try {
            return JSON.readTree(Fixtures.file("kohya-dataset/" + name).toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Size size(JsonNode pair) {
        return new Size(pair.get(0).asInt(), pair.get(1).asInt());
    }

    static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    static Integer intOrNull(JsonNode n) {
        return n == null || n.isNull() ? null : n.asInt();
    }
}
