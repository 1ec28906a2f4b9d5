package dev.bakehouse.lora.ops;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import dev.bakehouse.lora.format.KohyaModuleNames;
import dev.bakehouse.lora.format.LoraKind;
import dev.bakehouse.lora.format.LoraModule;
import dev.bakehouse.lora.format.LoraNetwork;
import dev.bakehouse.lora.format.LoraTarget;
import dev.bakehouse.lora.format.LoraTensor;
import dev.bakehouse.model.nn.OwnedArrays;
import dev.bakehouse.tensor.DType;
import dev.bakehouse.tensor.ElementCodec;
import dev.bakehouse.tensor.SafetensorsWriter;
import dev.bakehouse.tensor.TensorFileException;
import dev.bakehouse.tensor.TensorInfo;
import dev.bakehouse.tensor.TensorSource;
import dev.bakehouse.tensor.sd.LdmKeys;
import dev.bakehouse.tensor.sd.ShapeIndex;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * LoRAs baked into a checkpoint, as sd-scripts' {@code merge_lora.py --sd_model}:
 * W' = W + Σ ratio · block ratio · (alpha / rank) · ΔW for every module, biases untouched. The
 * output keeps the input's keys (its own spelling, not the normalised one), dtypes (unless a save
 * dtype is given) and metadata plus the given entries. Tensors stream one at a time from the
 * input to a temp file that is moved onto the target only when complete: a failure anywhere
 * leaves no file under the target name and the input unchanged.
 */
public final class CheckpointMerge {
    /** Patched tensors computed ahead of the writer: two keep the helper thread busy while one is written. */
    private static final int AHEAD = 2;

    private CheckpointMerge() {}

    /**
     * @param name         for messages and metadata (file name)
     * @param ratio        kohya {@code --ratios} entry: the strength, applied once
     * @param blockWeights LoRA Block Weight ratios, null for none
     */
    public record Source(String name, LoraNetwork network, float ratio, LoraBlockWeights blockWeights) {}

    /**
     * @param mergedModules modules baked in, over all sources
     * @param skipped       "file: module" of modules that name no layer of this checkpoint (kohya
     *                      skips them with "no module found for LoRA weight")
     */
    public record Result(int mergedModules, List<String> skipped) {}

    private record Contribution(LoraModule module, float multiplier, int rowStart, long[] shape) {}

    /**
     * @param checkpoint the input file as opened (not a normalised view)
     * @param saveDtype  dtype of every floating tensor, or null to keep each tensor's own
     * @throws IllegalArgumentException listing every module that cannot be merged (wrong shape, a
     *                                  kind without ΔW, DoRA), before anything is written
     */
    public static Result merge(TensorSource checkpoint, List<Source> sources, Path target, DType saveDtype,
                               Map<String, String> metadata, Progress progress) throws TensorFileException {
        return merge(checkpoint, sources, target, saveDtype, metadata, () -> metadata, progress);
    }

    /**
     * As {@link #merge(TensorSource, List, Path, DType, Map, Progress)}, with metadata values that
     * are finished while the tensors stream ({@link MergeProvenance.Pending}: source hashes):
     * {@code metadata} holds fixed-width placeholders, {@code finalMetadata} the values, asked for
     * once the last tensor is written ({@link SafetensorsWriter#write(Path, Supplier)}).
     */
    public static Result merge(TensorSource checkpoint, List<Source> sources, Path target, DType saveDtype,
                               Map<String, String> metadata, Supplier<Map<String, String>> finalMetadata,
                               Progress progress) throws TensorFileException {
        if (saveDtype != null && !saveDtype.isFloatingPoint()) {
            throw new IllegalArgumentException("save precision must be a floating point dtype, got " + saveDtype);
        }
        Map<String, String> rawByNormal = new HashMap<>();
        Map<String, long[]> shapes = new HashMap<>();
        for (String key : checkpoint.names()) {
            String normal = LdmKeys.normalize(key);
            rawByNormal.put(normal, key);
            shapes.put(normal, checkpoint.info(key).shape());
        }
        Map<String, LoraTarget> targets = new HashMap<>();
        for (LoraTarget t : KohyaModuleNames.enumerate(new ShapeIndex(checkpoint.path(), shapes))) {
            targets.put(t.loraName(), t);
        }
        Map<String, List<Contribution>> byKey = new LinkedHashMap<>();
        List<String> skipped = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        int merged = 0;
        for (Source s : sources) {
            s.network().unknownKeys().forEach(k -> skipped.add(s.name() + ": " + k + " (belongs to no module)"));
            for (LoraModule m : s.network().modules().values()) {
                LoraTarget t = targets.get(m.name());
                if (t == null) {
                    skipped.add(s.name() + ": " + m.name());
                    continue;
                }
                long[] shape = shapes.get(t.checkpointKey()).clone();
                if (t.rowStart() >= 0) {
                    shape[0] = t.rowEnd() - t.rowStart();
                }
                String problem = problem(m, shape);
                if (problem != null) {
                    problems.add(s.name() + ": " + m.name() + ": " + problem);
                    continue;
                }
                float block = s.blockWeights() == null ? 1f : s.blockWeights().ratioFor(t.checkpointKey());
                float multiplier = s.ratio() * block;
                if (multiplier != 0f) {
                    byKey.computeIfAbsent(rawByNormal.get(t.checkpointKey()), k -> new ArrayList<>())
                            .add(new Contribution(m, multiplier, Math.max(0, t.rowStart()), shape));
                    merged++;
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("cannot merge into " + checkpoint.path() + " (" + problems.size()
                    + " module(s), nothing written):\n  " + String.join("\n  ", problems));
        }
        // the patched and converted tensors are computed one at a time on a helper thread, a few
        // ahead of the writer; each one's arrays live in a sub-manager of this one
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            SafetensorsWriter writer = new SafetensorsWriter();
            Map<String, String> meta = new LinkedHashMap<>(checkpoint.metadata());
            meta.putAll(metadata);
            writer.metadata(meta);
            List<String> keys = checkpoint.names();
            AtomicLong written = new AtomicLong();
            Map<String, ComputeAhead.Task> computed = new HashMap<>();
            ComputeAhead[] ahead = new ComputeAhead[1];
            for (String key : keys) {
                TensorInfo info = checkpoint.info(key);
                DType out = saveDtype != null && info.dtype().isFloatingPoint() ? saveDtype : info.dtype();
                List<Contribution> cs = byKey.get(key);
                SafetensorsWriter.Bytes bytes;
                if (cs != null || out != info.dtype()) {
                    List<Contribution> patches = cs == null ? List.of() : cs;
                    computed.put(key, () -> patchedBytes(checkpoint, key, info, out, patches, manager));
                    bytes = () -> ahead[0].take(key);
                } else {
                    bytes = () -> checkpoint.view(key);
                }
                writer.addLazy(key, out, info.shape(), () -> {
                    ByteBuffer b = bytes.get();
                    progress.step(written.incrementAndGet(), keys.size());
                    return b;
                });
            }
            try (ComputeAhead a = new ComputeAhead(writer.writeOrder(), computed, AHEAD, "merge-patch")) {
                ahead[0] = a;
                writer.write(target, finalMetadata);
            }
        }
        return new Result(merged, skipped);
    }

    /** Why a module cannot be merged into a weight of this shape, or null. */
    private static String problem(LoraModule m, long[] shape) {
        if (!m.kind().hasDelta()) {
            return m.kind() + " modules have no weight difference to merge";
        }
        if (m.doraScale().isPresent()) {
            return "DoRA modules (dora_scale) cannot be merged";
        }
        try {
            m.checkFits(shape);
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    /**
     * W + Σ ΔW in the output dtype. F16/F32 in and out go through libtorch (the file's bytes as an
     * array, widened, each ΔW added in float32, narrowed): the same float32 sums and the same
     * round-to-nearest-even narrowing as the Java path, several times faster, which kept a merge
     * into a full-size fp16 checkpoint under half of copy speed (SurgeryBench). Other dtypes (BF16,
     * which this libtorch build cannot hold, F64, F8) are decoded and encoded in Java.
     */
    private static ByteBuffer patchedBytes(TensorSource checkpoint, String key, TensorInfo info, DType out,
                                           List<Contribution> cs, NDManager manager) throws IOException {
        DataType in = libtorchType(info.dtype());
        DataType to = libtorchType(out);
        if (in == null || to == null) {
            return encode(out, patched(checkpoint, key, info, cs, manager));
        }
        // runs on ComputeAhead's thread, where libtorch's per-thread grad mode starts on
        JniUtils.setGradMode(false);
        try (NDManager step = manager.newSubManager()) {
            // patched tensors are (rows, cols) matrices here; a patch implies rows > 0
            long rows = cs.isEmpty() ? 0 : info.dim(0);
            Shape matrix = cs.isEmpty() ? new Shape(info.shape()) : new Shape(rows, info.numel() / rows);
            ByteBuffer raw = checkpoint.view(key);
            NDArray w = step.create(raw, matrix, in).toType(DataType.FLOAT32, false);
            for (Contribution c : cs) {
                w = addRows(w, scaledDelta(c, step), c.rowStart());
            }
            return w.toType(to, false).toByteBuffer();
        }
    }

    /**
     * {@code w} with {@code delta} added to its rows from {@code rowStart} on (one of q/k/v in a
     * fused in_proj), as a new array: the weight may be a view of the read-only mapping.
     */
    static NDArray addRows(NDArray w, NDArray delta, long rowStart) {
        long rows = w.getShape().get(0);
        long end = rowStart + delta.getShape().get(0);
        if (rowStart == 0 && end == rows) {
            return w.add(delta);
        }
        NDArray patched = w.get(new NDIndex("{}:{}", rowStart, end)).add(delta);
        return NDArrays.concat(new NDList(w.get(new NDIndex(":{}", rowStart)), patched, w.get(new NDIndex("{}:", end))));
    }

    private static DataType libtorchType(DType dtype) {
        return switch (dtype) {
            case F16 -> DataType.FLOAT16;
            case F32 -> DataType.FLOAT32;
            default -> null;
        };
    }

    private static float[] patched(TensorSource checkpoint, String key, TensorInfo info, List<Contribution> cs,
                                   NDManager manager) throws IOException {
        float[] w = checkpoint.readFloats(key);
        for (Contribution c : cs) {
            int cols = (int) (info.numel() / info.dim(0));
            float[] delta;
            try (NDManager step = manager.newSubManager()) {
                delta = scaledDelta(c, step).toFloatArray();
            }
            int offset = c.rowStart() * cols;
            for (int i = 0; i < delta.length; i++) {
                w[offset + i] += delta[i];
            }
        }
        return w;
    }

    /**
     * multiplier · ΔW as a (rows, cols) array in {@code step}. A plain up/down pair is one libtorch
     * matmul: the Java product made a merge into a full-size checkpoint CPU-bound at ~50 MB/s
     * (SurgeryBench); other kinds rebuild their ΔW in Java.
     */
    private static NDArray scaledDelta(Contribution c, NDManager step) {
        LoraModule m = c.module();
        long rows = c.shape()[0];
        if (m.kind() != LoraKind.LORA || m.tensor("lora_mid.weight").isPresent()) {
            float[] delta = m.deltaWeight(c.shape());
            for (int i = 0; i < delta.length; i++) {
                delta[i] *= c.multiplier();
            }
            return OwnedArrays.of(step, delta, new Shape(rows, delta.length / rows));
        }
        LoraTensor up = m.tensor("lora_up.weight").orElseThrow();
        LoraTensor down = m.tensor("lora_down.weight").orElseThrow();
        NDArray product = OwnedArrays.of(step, up.values(), new Shape(up.rows(), down.rows()))
                .matMul(OwnedArrays.of(step, down.values(), new Shape(down.rows(), down.cols())));
        return OwnedArrays.times(product, (float) (m.scale() * c.multiplier()));
    }

    private static ByteBuffer encode(DType dtype, float[] values) {
        return ElementCodec.encodeFloats(dtype, values);
    }
}
