package dev.bakehouse.server.store;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Optional;

/**
 * Finished prompts, oldest first. Entries are stored as the JSON text of spec §4.4 so that
 * serving {@code GET /history} does not re-serialize thousands of entries.
 */
public interface HistoryStore {

    /** The number of entries kept; older ones are dropped when a new one is added. */
    int DEFAULT_CAPACITY = 10_000;

    /** Adds (or replaces) the entry of a prompt as the newest one, then trims to capacity. */
    void put(String promptId, String entryJson);

    Optional<String> get(String promptId);

    boolean contains(String promptId);

    /**
     * Selection rules of spec §3.7: no arguments → everything; only {@code maxItems} → the last
     * {@code maxItems}; {@code offset} → from that position (0 = oldest), at most {@code maxItems}
     * if given. Keys are prompt ids, values entry JSON, oldest first.
     */
    LinkedHashMap<String, String> select(Integer maxItems, Integer offset);

    void delete(Collection<String> promptIds);

    void clear();

    int size();
}
