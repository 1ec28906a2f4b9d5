package dev.bakehouse.lora.ops;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.bakehouse.lora.format.KohyaModuleNames;
import dev.bakehouse.lora.format.LoraModule;
import dev.bakehouse.lora.format.LoraNetwork;
import dev.bakehouse.lora.format.LoraReader;
import dev.bakehouse.lora.format.LoraTarget;
import dev.bakehouse.lora.format.LoraWriter;
import dev.bakehouse.model.SyntheticWeights;
import dev.bakehouse.tensor.DType;
import dev.bakehouse.tensor.ElementCodec;
import dev.bakehouse.tensor.SafetensorsFile;
import dev.bakehouse.tensor.SafetensorsWriter;
import dev.bakehouse.tensor.sd.DetectedArchitecture.Family;
import dev.bakehouse.tensor.sd.ShapeIndex;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * LoRA surgery at full SD1.5 size (key list {@code sd15-keys.tsv}, random weights):
 * <ol>
 *   <li>Extract at rank 64: the weight difference of every module kohya's networks.lora creates
 *       (no conv_dim: 264 modules) is drawn as G1·diag(s)·G2 with Gaussian G1, G2 and
 *       s_i = (1+i)^-1/2, a slowly decaying full-rank spectrum (rank 64 keeps about 60% of the
 *       energy), the hard case for a randomized SVD. The randomized SVD runs on every module;
 *       the exact SVD (EJML, single-threaded) would take many minutes, so it runs on the first
 *       module of each distinct matrix shape and its time is scaled by that shape's module count.
 *       The Frobenius errors ‖ΔW − U·S·Vᵀ‖ of both are compared on those modules.</li>
 *   <li>Merge one rank-64 LoRA into a 2.1 GB fp16 checkpoint written here, next to a plain copy of
 *       the same file in the same run (with and without forcing it to disk, as the merge does
 *       before its move): MB/s of each (checkpoint bytes / seconds; the merge hashes its sources
 *       while it streams) and the peak RSS of each (VmHWM, reset between them
 *       through /proc/self/clear_refs; the merge maps its input, so touched file pages count).</li>
 * </ol>
 * Prints {@code BENCH <name> <value> <unit>} lines. {@code -Dbench.surgery.modules=N} limits the
 * extraction to the first N modules and {@code -Dbench.surgery.merge=false} skips the merge (quick
 * checks of the benchmark itself).
 */
public final class SurgeryBench {
    private static final int RANK = 64;

    private SurgeryBench() {}

    public static void main(String[] args) throws Exception {
        SyntheticWeights weights = SyntheticWeights.sd15(42);
        Map<String, long[]> shapes = new LinkedHashMap<>();
        weights.names().forEach(n -> shapes.put(n, weights.shape(n)));
        List<LoraTarget> targets = new ArrayList<>();
        for (LoraTarget t : KohyaModuleNames.enumerate(new ShapeIndex(Path.of("sd15-keys.tsv"), shapes))) {
            if (!t.convDimOnly()) {
                targets.add(t);
            }
        }
        int limit = Integer.getInteger("bench.surgery.modules", targets.size());
        extract(targets.subList(0, Math.min(limit, targets.size())), shapes);
        if (!Boolean.parseBoolean(System.getProperty("bench.surgery.merge", "true"))) {
            return;
        }
        Path dir = Files.createTempDirectory("bakehouse-surgery-bench");
        try {
            merge(dir, weights, targets, shapes);
        } finally {
            try (var files = Files.list(dir)) {
                for (Path p : files.toList()) {
                    Files.deleteIfExists(p);
                }
            }
            Files.deleteIfExists(dir);
        }
    }

    private record ShapeKey(int rows, int cols) {}

    private static void extract(List<LoraTarget> targets, Map<String, long[]> shapes) {
        double randomizedSeconds = 0;
        double exactSeconds = 0;
        double worstExtra = Double.NEGATIVE_INFINITY;
        double randomizedErr2 = 0;
        double exactErr2 = 0;
        Map<ShapeKey, Integer> counts = new LinkedHashMap<>();
        for (LoraTarget t : targets) {
            long[] s = shapes.get(t.checkpointKey());
            counts.merge(new ShapeKey((int) s[0], (int) (numel(s) / s[0])), 1, Integer::sum);
        }
        Map<ShapeKey, Boolean> exactDone = new LinkedHashMap<>();
        try (NDManager manager = NDManager.newBaseManager()) {
            for (LoraTarget t : targets) {
                long[] s = shapes.get(t.checkpointKey());
                ShapeKey key = new ShapeKey((int) s[0], (int) (numel(s) / s[0]));
                float[] delta = difference(manager, key.rows(), key.cols(), t.loraName().hashCode());
                int rank = Math.min(RANK, Math.min(key.rows(), key.cols()));
                long start = System.nanoTime();
                TruncatedSvd randomized = RandomizedSvd.of(manager, delta, key.rows(), key.cols(), rank,
                        RandomizedSvd.Settings.DEFAULT.withSeed(t.loraName().hashCode()));
                randomizedSeconds += (System.nanoTime() - start) / 1e9;
                if (exactDone.putIfAbsent(key, true) == null) {
                    start = System.nanoTime();
                    TruncatedSvd exact = ExactSvd.of(delta, key.rows(), key.cols(), rank);
                    double seconds = (System.nanoTime() - start) / 1e9;
                    exactSeconds += seconds * counts.get(key);
                    double er = error(manager, delta, randomized);
                    double ee = error(manager, delta, exact);
                    randomizedErr2 += er * er * counts.get(key);
                    exactErr2 += ee * ee * counts.get(key);
                    worstExtra = Math.max(worstExtra, er / ee - 1);
                    System.out.printf("# %dx%d (%d modules): exact %.2f s, randomized/exact Frobenius error %.5f, kept energy %.3f%n",
                            key.rows(), key.cols(), counts.get(key), seconds, er / ee, exact.keptEnergy());
                }
            }
        }
        bench("extract_rank64_modules", targets.size(), "modules");
        bench("extract_rank64_distinct_shapes", counts.size(), "shapes");
        bench("extract_rank64_randomized_svd", randomizedSeconds, "s");
        bench("extract_rank64_exact_svd_scaled", exactSeconds, "s");
        bench("extract_rank64_speedup", exactSeconds / randomizedSeconds, "x");
        bench("extract_rank64_frobenius_extra_error_total", 100 * (Math.sqrt(randomizedErr2 / exactErr2) - 1), "%");
        bench("extract_rank64_frobenius_extra_error_worst_shape", 100 * worstExtra, "%");
    }

    /** G1 · diag(s) · G2 / sqrt(inner), s_i = (1+i)^-1/2 (not timed). */
    private static float[] difference(NDManager manager, int rows, int cols, long seed) {
        int inner = Math.min(rows, cols);
        try (NDManager scratch = manager.newSubManager()) {
            float[] s = new float[inner];
            for (int i = 0; i < inner; i++) {
                s[i] = (float) (1 / Math.sqrt(1 + i) / Math.sqrt(inner));
            }
            ai.djl.engine.Engine.getInstance().setRandomSeed((int) seed);
            NDArray g1 = scratch.randomNormal(new Shape(rows, inner));
            NDArray g2 = scratch.randomNormal(new Shape(inner, cols));
            return g1.mul(scratch.create(s)).matMul(g2).toFloatArray();
        }
    }

    /** ‖A − U·S·Vᵀ‖_F. */
    private static double error(NDManager manager, float[] a, TruncatedSvd svd) {
        try (NDManager scratch = manager.newSubManager()) {
            NDArray u = scratch.create(svd.u(), new Shape(svd.rows(), svd.rank()));
            NDArray vt = scratch.create(svd.vt(), new Shape(svd.rank(), svd.cols()));
            NDArray rebuilt = u.mul(scratch.create(svd.s())).matMul(vt);
            NDArray diff = scratch.create(a, new Shape(svd.rows(), svd.cols())).sub(rebuilt);
            return Math.sqrt(diff.mul(diff).sum().getFloat());
        }
    }

    private static void merge(Path dir, SyntheticWeights weights, List<LoraTarget> targets, Map<String, long[]> shapes)
            throws Exception {
        Path ckpt = dir.resolve("sd15-synthetic-fp16.safetensors");
        long start = System.nanoTime();
        SafetensorsWriter writer = new SafetensorsWriter();
        for (String name : weights.names()) {
            writer.addLazy(name, DType.F16, weights.shape(name), () -> ElementCodec.encodeFloats(DType.F16, weights.readFloats(name)));
        }
        writer.write(ckpt);
        long bytes = Files.size(ckpt);
        bench("merge_checkpoint_size", bytes / 1e9, "GB");
        bench("merge_write_synthetic_checkpoint", (System.nanoTime() - start) / 1e9, "s");
        Path lora = dir.resolve("lora-rank64.safetensors");
        LoraWriter.write(randomLora(targets, shapes), lora, DType.F16, false);
        LoraNetwork network = LoraReader.read(lora);

        // copy and merge alternate, so load on the machine shifts both alike; medians are reported
        int repeats = Integer.getInteger("bench.surgery.repeats", 3);
        double[] copyRate = new double[repeats];
        double[] syncedRate = new double[repeats];
        double[] mergeRate = new double[repeats];
        double[] fraction = new double[repeats];
        double[] syncedFraction = new double[repeats];
        long copyRss = 0;
        long mergeRss = 0;
        for (int i = 0; i < repeats; i++) {
            resetPeakRss();
            Path copy = dir.resolve("copy.safetensors");
            start = System.nanoTime();
            Files.copy(ckpt, copy);
            double copySeconds = (System.nanoTime() - start) / 1e9;
            try (FileChannel ch = FileChannel.open(copy, StandardOpenOption.WRITE)) {
                ch.force(true); // the merge forces its file to disk before the move: the fair baseline does too
            }
            double syncedSeconds = (System.nanoTime() - start) / 1e9;
            copyRss = Math.max(copyRss, peakRssKiB());
            Files.delete(copy);

            resetPeakRss();
            Path merged = dir.resolve("merged.safetensors");
            start = System.nanoTime();
            try (SafetensorsFile in = SafetensorsFile.open(ckpt)) {
                MergeProvenance.Pending metadata = MergeProvenance.start(ckpt, Family.SD1,
                        List.of(new MergeProvenance.LoraFile(lora, 1f, null)), merged, true, Instant.now(), ZoneOffset.UTC);
                CheckpointMerge.Result r = CheckpointMerge.merge(in, List.of(new CheckpointMerge.Source("lora", network, 1f, null)),
                        merged, null, metadata.placeholders(), metadata.finalMetadata(), Progress.NONE);
                if (i == 0) {
                    bench("merge_modules", r.mergedModules(), "modules");
                }
            }
            double mergeSeconds = (System.nanoTime() - start) / 1e9;
            mergeRss = Math.max(mergeRss, peakRssKiB());
            Files.delete(merged);
            System.gc(); // unmaps the merge's views of the input before the next copy
            copyRate[i] = bytes / 1e6 / copySeconds;
            syncedRate[i] = bytes / 1e6 / syncedSeconds;
            mergeRate[i] = bytes / 1e6 / mergeSeconds;
            fraction[i] = copySeconds / mergeSeconds;
            syncedFraction[i] = syncedSeconds / mergeSeconds;
            System.out.printf("# run %d: copy %.1f MB/s (%.1f with fsync), merge %.1f MB/s, fraction %.3f (%.3f)%n",
                    i + 1, copyRate[i], syncedRate[i], mergeRate[i], fraction[i], syncedFraction[i]);
        }
        bench("copy_2gb_fp16", median(copyRate), "MB/s");
        bench("copy_2gb_fp16_with_fsync", median(syncedRate), "MB/s");
        bench("copy_2gb_fp16_peak_rss", copyRss / 1024.0, "MiB");
        bench("merge_lora_into_2gb_fp16", median(mergeRate), "MB/s");
        bench("merge_lora_into_2gb_fp16_fraction_of_copy", median(fraction), "ratio");
        bench("merge_lora_into_2gb_fp16_fraction_of_copy_with_fsync", median(syncedFraction), "ratio");
        bench("merge_lora_into_2gb_fp16_peak_rss", mergeRss / 1024.0, "MiB");
    }

    /** The median (of the pair's mean for an even count). */
    private static double median(double[] values) {
        double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** A rank-64 kohya LoRA over every module, small random factors, alpha 32. */
    private static LoraNetwork randomLora(List<LoraTarget> targets, Map<String, long[]> shapes) {
        Map<String, LoraModule> modules = new LinkedHashMap<>();
        SplittableRandom rng = new SplittableRandom(7);
        for (LoraTarget t : targets) {
            long[] shape = shapes.get(t.checkpointKey());
            int rows = (int) shape[0];
            int cols = (int) (numel(shape) / rows);
            float[] up = new float[rows * RANK];
            float[] down = new float[RANK * cols];
            for (int i = 0; i < up.length; i++) {
                up[i] = (float) (rng.nextGaussian() * 0.01);
            }
            for (int i = 0; i < down.length; i++) {
                down[i] = (float) (rng.nextGaussian() * 0.01);
            }
            modules.put(t.loraName(), LoraFactors.module(t.loraName(), shape, new LoraFactors.Factors(up, down, RANK), 32f, DType.F16));
        }
        return new LoraNetwork(modules, SurgeryMetadata.minimumNetwork(Family.SD1, "64", "32.0", null), List.of(),
                EnumSet.of(LoraNetwork.KeyStyle.KOHYA));
    }

    private static long numel(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    private static void bench(String name, double value, String unit) {
        System.out.printf("BENCH %s %.4g %s%n", name, value, unit);
        System.out.flush();
    }

    /** Resets VmHWM to the current RSS (Linux: "5" to clear_refs). */
    private static void resetPeakRss() throws IOException {
        Files.writeString(Path.of("/proc/self/clear_refs"), "5");
    }

    private static long peakRssKiB() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }
}
