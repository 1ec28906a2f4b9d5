package dev.bakehouse.train.run;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import dev.bakehouse.lora.format.LoraKind;
import dev.bakehouse.lora.format.LoraModule;
import dev.bakehouse.lora.format.LoraNetwork;
import dev.bakehouse.lora.format.LoraReader;
import dev.bakehouse.lora.format.LoraTensor;
import dev.bakehouse.lora.format.LoraWriter;
import dev.bakehouse.lora.network.LoraLayer;
import dev.bakehouse.lora.network.TrainableLoraNetwork;
import dev.bakehouse.tensor.DType;
import dev.bakehouse.tensor.TensorFileException;
import dev.bakehouse.train.config.EmaOptions;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An exponential moving average of the LoRA factors ({@code --ema_decay}), as OneTrainer,
 * ai-toolkit and SimpleTuner keep one: after every {@code ema_update_every}-th optimizer step,
 * for every factor θ, {@code shadow ← shadow + (1 − d)(θ − shadow)} (= d·shadow + (1 − d)·θ),
 * with d = {@code ema_decay}, or with {@code --ema_warmup} d = min(ema_decay, (1 + k)/(10 + k)) at
 * the k-th update (k = 0, 1, …; diffusers' EMAModel rule), which lets a short run's EMA leave the
 * initial weights. The shadow starts as the factors at the start of the run.
 *
 * <p>The shadows are float32 arrays in a manager of their own (a child of the network's), never
 * part of a graph; each update runs with grad mode off and its temporaries in a child manager.
 * k follows from the step (step / ema_update_every − 1), so the state file holds only the
 * shadows and a resumed run continues bit for bit.
 */
public final class LoraEma implements AutoCloseable {
    /** The shadows inside a state folder. */
    public static final String STATE_FILE = "ema.safetensors";
    /** Metadata flag of an EMA file: {@code True} there, absent from the trained weights' files. */
    public static final String WEIGHTS_FLAG = "ss_ema_weights";

    private final EmaOptions options;
    private final List<LoraLayer> layers;
    private final NDManager manager;
    /** Per layer: the shadow of lora_down, then of lora_up. */
    private final List<NDArray[]> shadows = new ArrayList<>();

    private LoraEma(TrainableLoraNetwork network, EmaOptions options) {
        this.options = options;
        this.layers = network.layers();
        this.manager = network.manager().newSubManager();
        this.manager.setName("lora ema");
    }

    /** An EMA whose shadows start as the network's current factors. */
    public static LoraEma start(TrainableLoraNetwork network, EmaOptions options) {
        if (!options.enabled()) {
            throw new IllegalArgumentException("ema: --ema_decay is not set");
        }
        LoraEma ema = new LoraEma(network, options);
        withoutGrad(() -> {
            for (LoraLayer l : ema.layers) {
                NDArray[] pair = {l.down().duplicate(), l.up().duplicate()};
                for (NDArray s : pair) {
                    s.attach(ema.manager);
                }
                ema.shadows.add(pair);
            }
        });
        return ema;
    }

    /** The file name of the EMA beside a LoRA file: {@code name-000004.safetensors} → {@code name-000004-ema.safetensors}. */
    public static String fileName(String loraFileName) {
        int dot = loraFileName.lastIndexOf('.');
        return dot < 0 ? loraFileName + "-ema" : loraFileName.substring(0, dot) + "-ema" + loraFileName.substring(dot);
    }

    /** The decay of the update made after optimizer step {@code globalStep} (1-based). */
    public double decayAt(long globalStep) {
        double d = options.decay();
        if (!options.warmup()) {
            return d;
        }
        long k = globalStep / options.updateEvery() - 1;
        return Math.min(d, (1.0 + k) / (10.0 + k));
    }

    /** Call after optimizer step {@code globalStep} (1-based): updates on every ema_update_every-th step. */
    public void afterStep(long globalStep) {
        if (globalStep % options.updateEvery() != 0) {
            return;
        }
        float rate = (float) (1 - decayAt(globalStep));
        withoutGrad(() -> {
            try (NDManager scratch = manager.newSubManager()) {
                for (int i = 0; i < layers.size(); i++) {
                    NDArray[] pair = shadows.get(i);
                    move(pair[0], layers.get(i).down(), rate, scratch);
                    move(pair[1], layers.get(i).up(), rate, scratch);
                }
            }
        });
    }

    /** Grad mode is per thread (and on where DJL did not start the thread): the shadows never join a graph. */
    private static void withoutGrad(Runnable body) {
        boolean grad = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try {
            body.run();
        } finally {
            JniUtils.setGradMode(grad);
        }
    }

    private static void move(NDArray shadow, NDArray weight, float rate, NDManager scratch) {
        NDArray step = weight.sub(shadow); // lands in the network's manager: hand it to the scratch one
        step.attach(scratch);
        step.muli(rate);
        shadow.addi(step);
    }

    /** The EMA weights as kohya saves a LoRA (names, shapes and alphas of the network's modules). */
    public LoraNetwork snapshot(Map<String, String> metadata) {
        Map<String, LoraModule> modules = new LinkedHashMap<>();
        for (int i = 0; i < layers.size(); i++) {
            LoraLayer l = layers.get(i);
            NDArray[] pair = shadows.get(i);
            Map<String, LoraTensor> t = new LinkedHashMap<>();
            t.put("lora_down.weight", new LoraTensor(DType.F32, pair[0].getShape().getShape(), pair[0].toFloatArray()));
            t.put("lora_up.weight", new LoraTensor(DType.F32, pair[1].getShape().getShape(), pair[1].toFloatArray()));
            t.put("alpha", LoraTensor.scalar(l.alpha()));
            modules.put(l.name(), new LoraModule(l.name(), LoraKind.LORA, t));
        }
        return new LoraNetwork(modules, metadata, List.of(), EnumSet.of(LoraNetwork.KeyStyle.KOHYA));
    }

    /** Writes the EMA weights as a LoRA file (atomically), its metadata flagged with {@link #WEIGHTS_FLAG}. */
    public void save(Path file, DType precision, Map<String, String> metadata) throws TensorFileException {
        Map<String, String> m = new LinkedHashMap<>(metadata);
        m.put(WEIGHTS_FLAG, "True");
        LoraWriter.write(snapshot(m), file, precision, true);
    }

    /** Writes the shadows in float32 into a state folder. */
    public void saveState(Path stateDir) throws TensorFileException {
        LoraWriter.write(snapshot(Map.of(WEIGHTS_FLAG, "True")), stateDir.resolve(STATE_FILE), DType.F32, false);
    }

    /**
     * Restores the shadows from a state folder, naming the folder when it holds no EMA (a state
     * saved without {@code --ema_decay}) or one that does not fit this network.
     */
    public void restore(Path stateDir) throws TensorFileException {
        Path file = stateDir.resolve(STATE_FILE);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("--resume " + stateDir + ": the state has no EMA (" + STATE_FILE
                    + "); it was saved without --ema_decay, so resume it without --ema_decay or start afresh");
        }
        LoraNetwork saved = LoraReader.read(file);
        for (int i = 0; i < layers.size(); i++) {
            LoraLayer l = layers.get(i);
            LoraModule m = saved.modules().get(l.name());
            if (m == null) {
                throw new IllegalArgumentException("--resume " + file + ": no EMA of module " + l.name());
            }
            NDArray[] pair = shadows.get(i);
            copy(file, m, "lora_down.weight", pair[0]);
            copy(file, m, "lora_up.weight", pair[1]);
        }
    }

    private static void copy(Path file, LoraModule m, String suffix, NDArray into) {
        LoraTensor t = m.tensor(suffix).orElseThrow(() -> new IllegalArgumentException(
                "--resume " + file + ": " + m.name() + " has no " + suffix));
        if (!new ai.djl.ndarray.types.Shape(t.shape()).equals(into.getShape())) {
            throw new IllegalArgumentException("--resume " + file + ": " + m.name() + "." + suffix + " is "
                    + new ai.djl.ndarray.types.Shape(t.shape()) + ", the network's is " + into.getShape());
        }
        into.set(FloatBuffer.wrap(t.values()));
    }

    /** The shadow arrays, for tests: per layer, lora_down's then lora_up's. */
    List<NDArray[]> shadows() {
        return shadows;
    }

    @Override
    public void close() {
        manager.close();
    }
}
