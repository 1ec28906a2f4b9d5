package dev.bakehouse.node;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * A file a node shows in its UI output, downloadable via
 * {@code /view?filename=…&subfolder=…&type=…}.
 *
 * @param filename  base name
 * @param subfolder folder below the area, forward slashes, {@code ""} for none
 * @param type      {@code output}, {@code temp} or {@code input}
 */
public record FileRef(String filename, String subfolder, String type) {
    public FileRef {
        Objects.requireNonNull(filename, "filename");
        Objects.requireNonNull(subfolder, "subfolder");
        Objects.requireNonNull(type, "type");
    }

    /** {@code {"filename": …, "subfolder": …, "type": …}} in that key order. */
    public ObjectNode toJson() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("filename", filename);
        node.put("subfolder", subfolder);
        node.put("type", type);
        return node;
    }
}
