package dev.bakehouse.node.gachamax;

import java.util.List;
import java.util.Map;

/**
 * A round's picks: candidates that join the next dataset version, captions edited in the picker,
 * and images of the round's dataset version to leave out of the next one.
 *
 * @param candidates ids of the picked candidates
 * @param captions   edited captions by candidate id (others keep their generation prompt)
 * @param drops      images of the round's dataset version to drop, as {@link DatasetVersionRecord#images()} names them
 */
public record PickRequest(List<Long> candidates, Map<Long, String> captions, List<String> drops) {
    public PickRequest {
        candidates = List.copyOf(candidates);
        captions = Map.copyOf(captions);
        drops = List.copyOf(drops);
        for (Long id : captions.keySet()) {
            if (!candidates.contains(id)) {
                throw new IllegalArgumentException("picks: a caption was given for candidate " + id
                        + ", which is not picked (picked: " + candidates + ")");
            }
        }
    }
}
