package dev.bakehouse.server.exec;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/**
 * Node results kept between prompts (spec §6.4), keyed by input signature (class, fingerprint,
 * literal inputs, ancestors' signatures; see {@code InputSignatures}), so a node whose inputs did
 * not change is not run again, whatever its id.
 *
 * <p>Policy "classic", as the reference's default: when a prompt starts, entries that the new
 * prompt cannot use are dropped. {@link #clear()} empties it ({@code POST /free} with
 * {@code free_memory}). Used by the single executing thread; {@link #clear()} and
 * {@link #size()} may be called from others.
 */
public final class OutputCache {
    private final Cache<Object, CachedResult> entries = Caffeine.newBuilder().build();

    /** Drops every cached result. */
    public void clear() {
        entries.invalidateAll();
    }

    /** Number of cached node results. */
    public long size() {
        return entries.estimatedSize();
    }

    CachedResult get(Object signature) {
        return signature == null ? null : entries.getIfPresent(signature);
    }

    void put(Object signature, CachedResult result) {
        if (signature != null) {
            entries.put(signature, result);
        }
    }

    /** The classic policy: keeps only entries whose signature the new prompt uses. */
    void retainOnly(Collection<Object> signatures) {
        Set<Object> keep = new HashSet<>(signatures);
        entries.asMap().keySet().retainAll(keep);
    }
}
