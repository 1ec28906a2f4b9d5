package dev.bakehouse.server.exec;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import dev.bakehouse.node.NativeValue;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * Node results kept between prompts (spec §6.4), keyed by input signature (class, fingerprint,
 * literal inputs, ancestors' signatures; see {@code InputSignatures}), so a node whose inputs did
 * not change is not run again, whatever its id.
 *
 * <p>Policy "classic", as the reference's default: when a prompt starts, entries that the new
 * prompt cannot use are dropped. {@link #clear()} empties it ({@code POST /free} with
 * {@code free_memory}). Used by the single executing thread; {@link #clear()} and
 * {@link #size()} may be called from others, but only between prompts.
 *
 * <p>Eviction hook: a dropped entry's {@link NativeValue}s are closed at once (on the removing
 * thread), unless another entry still holds the same instance — a pass-through node caches its
 * input object under its own signature.
 */
public final class OutputCache {
    private final Cache<Object, CachedResult> entries = Caffeine.newBuilder()
            .executor(Runnable::run)
            .removalListener((Object key, CachedResult value, RemovalCause cause) -> release(value))
            .build();

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

    /**
     * Closes the native values of a result that is not (or no longer) cached; values another
     * cached entry still refers to are kept. Used by the executor for results it could not cache.
     */
    void release(CachedResult dropped) {
        if (dropped == null) {
            return;
        }
        Set<NativeValue> stillHeld = Collections.newSetFromMap(new IdentityHashMap<>());
        for (CachedResult kept : entries.asMap().values()) {
            collect(kept, stillHeld);
        }
        Set<NativeValue> toClose = Collections.newSetFromMap(new IdentityHashMap<>());
        collect(dropped, toClose);
        toClose.removeAll(stillHeld);
        toClose.forEach(NativeValue::close);
    }

    private static void collect(CachedResult result, Set<NativeValue> into) {
        for (List<Object> slot : result.outputs()) {
            for (Object value : slot) {
                if (value instanceof NativeValue n) {
                    into.add(n);
                }
            }
        }
    }
}
