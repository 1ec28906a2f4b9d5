package dev.bakehouse.node.gachamax;

import java.util.List;
import java.util.Objects;

/**
 * One version of a loop's dataset: a kohya folder of its own (copy-on-write: the previous
 * version's images plus the picks minus the drops).
 *
 * @param folder  the version's dataset folder, absolute
 * @param parent  the version it grew from, or 0 for the copy of the starting dataset
 * @param images  the images it holds, relative to {@code folder} ({@code 10_kiki/img.png}), sorted
 * @param added   images new in this version (picked candidates)
 * @param dropped images of the parent left out
 */
public record DatasetVersionRecord(String loop, int version, String folder, int parent, List<String> images,
                                   List<String> added, List<String> dropped) {
    public DatasetVersionRecord {
        Objects.requireNonNull(folder, "folder");
        images = List.copyOf(images);
        added = List.copyOf(added);
        dropped = List.copyOf(dropped);
    }
}
