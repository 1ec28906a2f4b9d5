package dev.bakehouse.train.data;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * kohya's {@code set_tag_frequency}: per folder name, from raw captions, split on {@code ,}
 * (whatever {@code caption_separator} is), stripped, empty skipped, lower-cased, counted in
 * first-seen order. A train and a reg folder of the same name share one entry.
 */
final class TagFrequency {
    private TagFrequency() {}

    static void add(Map<String, Map<String, Integer>> into, String folder, List<String> captions) {
        Map<String, Integer> counts = into.computeIfAbsent(folder, k -> new LinkedHashMap<>());
        for (String caption : captions) {
            for (String tag : PythonText.split(caption, ",")) {
                String t = PythonText.strip(tag);
                if (!t.isEmpty()) {
                    counts.merge(t.toLowerCase(Locale.ROOT), 1, Integer::sum);
                }
            }
        }
    }
}
