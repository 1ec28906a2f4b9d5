package dev.bakehouse.server.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The frontend's settings of the one user (spec §3.15): setting id → any JSON value. */
public interface SettingsStore {

    /** Every setting; {@code {}} before the first write. A copy: changing it changes nothing. */
    ObjectNode all();

    /** Adds or replaces the given settings; others are kept. */
    void merge(ObjectNode settings);

    /** Sets one setting to a value (JSON {@code null} included). */
    void put(String id, JsonNode value);
}
