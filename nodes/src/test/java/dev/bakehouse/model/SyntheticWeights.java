package dev.bakehouse.model;

import dev.bakehouse.testing.Fixtures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * A full-size checkpoint built in memory from a key list ({@code sd15-keys.tsv}: exact SD1.5 names
 * and shapes) with random values drawn on demand, the same for the same key and seed: weights
 * uniform with variance 1/fan_in, 1-D weights (norm scales) around 1, biases small.
 */
public final class SyntheticWeights implements WeightSource {
    private final String description;
    private final Map<String, long[]> shapes;
    private final long seed;

    private SyntheticWeights(String description, Map<String, long[]> shapes, long seed) {
        this.description = description;
        this.shapes = Collections.unmodifiableMap(shapes);
        this.seed = seed;
    }

    /** SD1.5's 1131 tensors, minus the int64 position_ids buffer. */
    public static SyntheticWeights sd15(long seed) {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(Fixtures.file("sd15-keys.tsv"))) {
                String[] cols = line.split("\t");
                if (cols[0].endsWith("position_ids")) {
                    continue;
                }
                shapes.put(cols[0], Arrays.stream(cols[1].split(",")).mapToLong(Long::parseLong).toArray());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new SyntheticWeights("synthetic SD1.5 (seed " + seed + ")", shapes, seed);
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public Set<String> names() {
        return shapes.keySet();
    }

    @Override
    public long[] shape(String name) {
        return shapes.get(name).clone();
    }

    @Override
    public float[] readFloats(String name) {
        long[] s = shapes.get(name);
        long n = Arrays.stream(s).reduce(1, (a, b) -> a * b);
        float[] out = new float[Math.toIntExact(n)];
        SplittableRandom rng = new SplittableRandom(seed ^ name.hashCode());
        if (s.length == 1 && name.endsWith(".weight")) {
            for (int i = 0; i < out.length; i++) {
                out[i] = (float) (1 + 0.1 * (rng.nextDouble() * 2 - 1));
            }
        } else if (name.endsWith(".bias")) {
            for (int i = 0; i < out.length; i++) {
                out[i] = (float) (0.05 * (rng.nextDouble() * 2 - 1));
            }
        } else {
            long fanIn = s.length > 1 ? n / s[0] : n;
            double half = Math.sqrt(3.0 / fanIn);
            for (int i = 0; i < out.length; i++) {
                out[i] = (float) (half * (rng.nextDouble() * 2 - 1));
            }
        }
        return out;
    }
}
