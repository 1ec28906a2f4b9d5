package dev.bakehouse.node.image;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.util.MinimalPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The text of the {@code prompt} and {@code extra_pnginfo} chunks of saved PNGs (spec §7.2):
 * JSON with every non-ASCII character escaped as a backslash-u sequence, so it fits {@code tEXt}
 * (Latin-1), and with Python's {@code json.dumps} separators {@code ", "} and {@code ": "}.
 */
public final class PngMetadataJson {
    private static final ObjectWriter WRITER = JsonMapper.builder()
            .enable(JsonWriteFeature.ESCAPE_NON_ASCII)
            .build()
            .writer(new PythonSeparators());

    private PngMetadataJson() {}

    /** One JSON value as ASCII text. */
    public static String toText(JsonNode value) {
        try {
            return lowerCaseEscapes(WRITER.writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot serialise PNG metadata", e);
        }
    }

    /** Jackson writes escapes with upper-case hex, Python lower-case; escaped backslashes are kept. */
    private static String lowerCaseEscapes(String json) {
        StringBuilder out = new StringBuilder(json.length());
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            out.append(c);
            if (c == '\\' && i + 1 < json.length()) {
                char next = json.charAt(++i);
                out.append(next);
                if (next == 'u') {
                    out.append(json.substring(i + 1, i + 5).toLowerCase(java.util.Locale.ROOT));
                    i += 4;
                }
            }
        }
        return out.toString();
    }

    /**
     * The text chunks of a saved image: {@code prompt} first (when given), then each key of
     * {@code extra_pnginfo} in order.
     */
    public static Map<String, String> chunks(JsonNode prompt, JsonNode extraPngInfo) {
        Map<String, String> chunks = new LinkedHashMap<>();
        if (prompt != null && !prompt.isNull()) {
            chunks.put("prompt", toText(prompt));
        }
        if (extraPngInfo != null && extraPngInfo.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = extraPngInfo.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                chunks.put(field.getKey(), toText(field.getValue()));
            }
        }
        return chunks;
    }

    /** Single-line output with Python's default separators. */
    private static final class PythonSeparators extends MinimalPrettyPrinter {
        @Override
        public void writeObjectFieldValueSeparator(JsonGenerator g) throws IOException {
            g.writeRaw(": ");
        }

        @Override
        public void writeObjectEntrySeparator(JsonGenerator g) throws IOException {
            g.writeRaw(", ");
        }

        @Override
        public void writeArrayValueSeparator(JsonGenerator g) throws IOException {
            g.writeRaw(", ");
        }
    }
}
