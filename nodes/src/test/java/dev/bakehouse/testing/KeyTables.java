package dev.bakehouse.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads the fixture tables of keys and shapes ({@code sd15-keys.tsv}) and LoRA modules. */
public final class KeyTables {
    private KeyTables() {}

    /** {@code key<TAB>shape} rows (shape comma-separated, empty for 0-dim), '#' lines skipped. */
    public static Map<String, long[]> shapes(String relative) throws IOException {
        Map<String, long[]> out = new LinkedHashMap<>();
        for (String line : Files.readAllLines(Fixtures.file(relative))) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] cols = line.split("\t", -1);
            String dims = cols.length > 1 ? cols[1].trim() : "";
            long[] shape = dims.isEmpty() ? new long[0]
                    : java.util.Arrays.stream(dims.split(",")).mapToLong(Long::parseLong).toArray();
            out.put(cols[0], shape);
        }
        return out;
    }

    /** Rows of a TSV with a header line, as column-name maps. */
    public static List<Map<String, String>> rows(String relative) throws IOException {
        List<String> lines = Files.readAllLines(Fixtures.file(relative));
        String[] header = lines.get(0).split("\t", -1);
        List<Map<String, String>> out = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            if (line.isBlank()) {
                continue;
            }
            String[] cols = line.split("\t", -1);
            Map<String, String> row = new LinkedHashMap<>();
            for (int i = 0; i < header.length; i++) {
                row.put(header[i], i < cols.length ? cols[i] : "");
            }
            out.add(row);
        }
        return out;
    }
}
