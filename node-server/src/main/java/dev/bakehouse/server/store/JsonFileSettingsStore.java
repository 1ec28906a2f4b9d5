package dev.bakehouse.server.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bakehouse.io.AtomicFiles;
import dev.bakehouse.server.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * {@link SettingsStore} in {@code <data-dir>/user/default/comfy.settings.json}: the file and
 * format ComfyUI uses, so settings copied from a ComfyUI install just work, the frontend sees the
 * file through {@code /userdata} as it does there, and a person can read and edit it. Settings
 * are a few kilobytes written when someone changes a preference, so rewriting the whole file
 * (temporary file, then a move) costs nothing. The file is read on every call: a write through
 * {@code /userdata} or by hand is seen at once.
 */
public final class JsonFileSettingsStore implements SettingsStore {
    public static final String FILE_NAME = "comfy.settings.json";

    private final Path file;

    public JsonFileSettingsStore(Path file) {
        this.file = file;
    }

    @Override
    public synchronized ObjectNode all() {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return Json.object();
        } catch (IOException e) {
            throw new StoreException("cannot read settings " + file + ": " + e.getMessage(), e);
        }
        if (text.isBlank()) {
            return Json.object();
        }
        try {
            JsonNode parsed = Json.parse(text);
            if (parsed instanceof ObjectNode settings) {
                return settings;
            }
            throw new StoreException("settings " + file + " must hold a JSON object, found " + parsed.getNodeType(), null);
        } catch (JsonProcessingException e) {
            throw new StoreException("settings " + file + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    @Override
    public synchronized void merge(ObjectNode settings) {
        ObjectNode current = all();
        current.setAll(settings);
        save(current);
    }

    @Override
    public synchronized void put(String id, JsonNode value) {
        ObjectNode current = all();
        current.set(id, value);
        save(current);
    }

    private void save(ObjectNode settings) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            AtomicFiles.write(file, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(settings));
        } catch (IOException e) {
            throw new StoreException("cannot write settings " + file + ": " + e.getMessage(), e);
        }
    }
}
