package dev.bakehouse.server.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.bakehouse.node.NativeValue;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutputCacheTest {

    /** Counts its closes, so a double close or a premature one shows. */
    private static final class Tensorish implements NativeValue {
        int closes;

        @Override
        public void close() {
            closes++;
        }
    }

    private static CachedResult result(Object... values) {
        return new CachedResult(List.of(List.of(values)), null);
    }

    @Test
    void retainOnly_closesNativeValuesOfDroppedEntries_andKeepsOthersOpen() {
        OutputCache cache = new OutputCache();
        Tensorish dropped = new Tensorish();
        Tensorish kept = new Tensorish();
        cache.put("a", result(dropped, "plain"));
        cache.put("b", result(kept));

        cache.retainOnly(List.of("b"));

        assertEquals(1, dropped.closes);
        assertEquals(0, kept.closes);
        assertEquals(1, cache.size());
    }

    @Test
    void valueHeldByAnotherEntry_isClosedOnlyWhenTheLastEntryGoes() {
        OutputCache cache = new OutputCache();
        Tensorish shared = new Tensorish();
        cache.put("producer", result(shared));
        cache.put("passThrough", result(shared));

        cache.retainOnly(List.of("passThrough"));
        assertEquals(0, shared.closes);

        cache.clear();
        assertEquals(1, shared.closes);
    }

    @Test
    void replacingAnEntry_closesTheOldValueButNotTheNewOne() {
        OutputCache cache = new OutputCache();
        Tensorish first = new Tensorish();
        Tensorish second = new Tensorish();
        cache.put("a", result(first));
        cache.put("a", result(second));

        assertEquals(1, first.closes);
        assertEquals(0, second.closes);
    }

    @Test
    void listOutputs_closeEveryElement() {
        OutputCache cache = new OutputCache();
        Tensorish epoch1 = new Tensorish();
        Tensorish epoch2 = new Tensorish();
        cache.put("train", new CachedResult(List.of(List.of(epoch1, epoch2)), null));

        cache.clear();

        assertEquals(1, epoch1.closes);
        assertEquals(1, epoch2.closes);
    }
}
