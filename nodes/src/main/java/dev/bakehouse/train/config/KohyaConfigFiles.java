package dev.bakehouse.train.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import dev.bakehouse.train.config.OptionSpec.ValueType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads {@code --config_file}: kohya's TOML (sections are only for people, as in
 * {@code read_config_from_file}: every key of every table is one option) or a kohya_ss GUI JSON
 * config (see {@link KohyaSsJson}). Values are converted to the option's type and checked here.
 */
public final class KohyaConfigFiles {
    private KohyaConfigFiles() {}

    /** kohya appends {@code .toml} to a config name without it; a {@code .json} name is a kohya_ss config. */
    static Path configPath(String name) {
        return Path.of(name.endsWith(".toml") || name.endsWith(".json") ? name : name + ".toml");
    }

    static ConfigValues read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new ArgError("--config_file: " + file + " not found");
        }
        try {
            if (file.getFileName().toString().endsWith(".json")) {
                return KohyaSsJson.read(file, new ObjectMapper().readTree(file.toFile()));
            }
            return readToml(file, new TomlMapper().readTree(file.toFile()));
        } catch (IOException e) {
            throw new ArgError("--config_file: " + file + " is not valid " + (file.toString().endsWith(".json") ? "JSON" : "TOML")
                    + ": " + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    /**
     * A config given as text rather than a file (a node's pasted {@code kohya_args}); errors name
     * {@code source} where they would name the file.
     */
    static ConfigValues readText(String source, String text, boolean json) {
        Path named = Path.of(source);
        try {
            return json ? KohyaSsJson.read(named, new ObjectMapper().readTree(text))
                    : readToml(named, new TomlMapper().readTree(text));
        } catch (IOException e) {
            throw new ArgError(source + ": not valid " + (json ? "JSON" : "TOML") + ": "
                    + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    private static ConfigValues readToml(Path file, JsonNode root) {
        Map<String, JsonNode> flat = new LinkedHashMap<>();
        root.fields().forEachRemaining(entry -> {
            if (entry.getValue().isObject()) {
                entry.getValue().fields().forEachRemaining(inner -> flat.put(inner.getKey(), inner.getValue()));
            } else {
                flat.put(entry.getKey(), entry.getValue());
            }
        });
        Map<String, Object> given = new LinkedHashMap<>();
        List<String> unknown = new ArrayList<>();
        flat.forEach((key, value) -> {
            Optional<OptionSpec> spec = KohyaOptions.find(key);
            if (spec.isEmpty()) {
                unknown.add(key);
            } else if (!key.equals("config_file")) {
                given.put(key, convert(file, spec.get(), value));
            }
        });
        List<String> notes = unknown.isEmpty() ? List.of()
                : List.of(file.getFileName() + ": keys that are no train_network.py option, ignored as kohya ignores them: "
                        + String.join(", ", unknown));
        return new ConfigValues(given, List.of(), null, notes);
    }

    /** Converts a TOML/JSON value to the option's type: lists item by item, scalars through their text. */
    static Object convert(Path file, OptionSpec spec, JsonNode value) {
        try {
            if (spec.type() == ValueType.FLAG) {
                if (value.isBoolean()) {
                    return value.booleanValue();
                }
                if (value.isIntegralNumber() && (value.intValue() == 0 || value.intValue() == 1)) {
                    return value.intValue() == 1;
                }
                throw new ArgError("argument " + spec.flag() + ": expected true or false, found " + value);
            }
            if (spec.list()) {
                List<Object> items = new ArrayList<>();
                if (value.isArray()) {
                    value.forEach(item -> items.add(KohyaArgParser.convert(spec, text(item))));
                } else {
                    items.add(KohyaArgParser.convert(spec, text(value)));
                }
                return List.copyOf(items);
            }
            if (value.isContainerNode()) {
                throw new ArgError("argument " + spec.flag() + ": expected one " + spec.type().expected + ", found " + value);
            }
            if (spec.type() == ValueType.INT && value.isFloatingPointNumber() && value.doubleValue() == Math.rint(value.doubleValue())) {
                return KohyaArgParser.convert(spec, Long.toString((long) value.doubleValue()));
            }
            return KohyaArgParser.convert(spec, text(value));
        } catch (ArgError e) {
            throw new ArgError(file.getFileName() + ": " + e.getMessage());
        }
    }

    private static String text(JsonNode node) {
        return node.isTextual() ? node.textValue() : node.asText();
    }
}
