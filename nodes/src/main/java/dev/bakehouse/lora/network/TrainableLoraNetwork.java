package dev.bakehouse.lora.network;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import dev.bakehouse.lora.format.KohyaModuleNames;
import dev.bakehouse.lora.format.LayerKind;
import dev.bakehouse.lora.format.LbwBlock;
import dev.bakehouse.lora.format.LoraKind;
import dev.bakehouse.lora.format.LoraModule;
import dev.bakehouse.lora.format.LoraNetwork;
import dev.bakehouse.lora.format.LoraTarget;
import dev.bakehouse.lora.format.LoraTensor;
import dev.bakehouse.lora.format.LoraWriter;
import dev.bakehouse.model.StableDiffusion;
import dev.bakehouse.model.nn.AdaptableLayer;
import dev.bakehouse.model.nn.Conv2d;
import dev.bakehouse.model.nn.OwnedArrays;
import dev.bakehouse.model.nn.Param;
import dev.bakehouse.model.nn.ReplayableRandom;
import dev.bakehouse.model.nn.ReplayableState;
import dev.bakehouse.tensor.DType;
import dev.bakehouse.tensor.TensorFileException;
import dev.bakehouse.tensor.sd.ShapeIndex;
import dev.bakehouse.train.optim.ParamGroup;
import dev.bakehouse.train.optim.TrainableParam;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.random.RandomGenerator;

/**
 * kohya's {@code networks.lora} LoRANetwork on a loaded model, for training: one {@link LoraLayer}
 * per targeted Linear/Conv2d, hooked into the model as a {@link dev.bakehouse.model.nn.LayerAdapter}
 * (the base weights stay frozen and get no gradient buffers). The module set is exactly kohya's for
 * the same options (LierLa, C3Lier with conv_dim, block dims, lr-weight-0 blocks left out, unet/te
 * only) plus Bakehouse's selection by LBW block. Factors live in the network's own manager;
 * {@link #close()} unhooks the model and frees them.
 */
public final class TrainableLoraNetwork implements AutoCloseable, ReplayableState {

    /** How the layers behave in the next forwards. */
    record Mode(boolean training, RandomGenerator rng, Float networkDropout, Float rankDropout, Float moduleDropout,
                float multiplier) {}

    private final StableDiffusion model;
    private final NDManager manager;
    private final List<LoraLayer> layers = new ArrayList<>();
    private final List<String> ignoredWeights = new ArrayList<>();
    private final NetworkOptions options;
    private volatile Mode mode;

    private TrainableLoraNetwork(StableDiffusion model, NetworkOptions options) {
        this.model = model;
        this.options = options;
        this.manager = model.manager().newSubManager();
        this.manager.setName("lora network");
        this.mode = new Mode(false, null, options.networkDropout(), options.rankDropout(), options.moduleDropout(),
                options.multiplier());
    }

    /**
     * Creates the modules (down kaiming-uniform with a = sqrt(5) as torch's default layer init,
     * up zero, so the untrained network is an exact no-op), optionally starts from a LoRA file
     * ({@code network_weights}), and hooks them into the model.
     *
     * @param init    draws the initial lora_down values
     * @param weights {@code network_weights} read by {@link dev.bakehouse.lora.format.LoraReader}, or null
     * @throws IllegalArgumentException when {@code dim_from_weights} has no file, or a file module
     *                                  does not fit the module of the same name
     */
    public static TrainableLoraNetwork create(StableDiffusion model, NetworkOptions options, RandomGenerator init,
                                              LoraNetwork weights) {
        if (options.dimFromWeights() && weights == null) {
            throw new IllegalArgumentException("dim_from_weights needs network_weights");
        }
        TrainableLoraNetwork net = new TrainableLoraNetwork(model, options);
        try {
            for (LoraTarget t : targets(model)) {
                net.createModule(t, init, weights);
            }
            if (weights != null) {
                net.loadWeights(weights);
            }
            net.layers.forEach(l -> net.layer(l.target()).setAdapter(l));
            return net;
        } catch (RuntimeException e) {
            net.close();
            throw e;
        }
    }

    /** Every module kohya could create for this model (LierLa and C3Lier), text encoder first. */
    static List<LoraTarget> targets(StableDiffusion model) {
        Map<String, long[]> shapes = new TreeMap<>();
        for (Param p : model.params().params().values()) {
            shapes.put(p.key(), p.shape().getShape());
        }
        try {
            return KohyaModuleNames.enumerate(new ShapeIndex(null, shapes));
        } catch (TensorFileException e) {
            throw new IllegalStateException("model " + model.config() + " is not a Stable Diffusion layout: " + e.getMessage(), e);
        }
    }

    private void createModule(LoraTarget t, RandomGenerator init, LoraNetwork weights) {
        float[] da = dimAndAlpha(t, options, weights);
        if (da == null) {
            return;
        }
        int dim = (int) da[0];
        float alpha = da[1];
        AdaptableLayer layer = layer(t);
        long[] w = layer.weight().shape().getShape();
        int stride = layer instanceof Conv2d c ? c.stride() : 1;
        int padding = layer instanceof Conv2d c ? c.padding() : 0;
        long[] downShape = t.kind() == LayerKind.LINEAR ? new long[] {dim, w[1]} : new long[] {dim, w[1], w[2], w[3]};
        long[] upShape = t.kind() == LayerKind.LINEAR ? new long[] {w[0], dim} : new long[] {w[0], dim, 1, 1};
        long fanIn = downShape.length == 2 ? w[1] : w[1] * w[2] * w[3];
        double bound = 1.0 / Math.sqrt(fanIn); // kaiming_uniform(a=sqrt(5)): gain sqrt(1/3) * sqrt(3/fan_in)
        float[] downValues = new float[Math.toIntExact(new Shape(downShape).size())];
        for (int i = 0; i < downValues.length; i++) {
            downValues[i] = (float) ((init.nextDouble() * 2 - 1) * bound);
        }
        // autograd keeps using the factor long after: libtorch's own copy, not a Java buffer
        NDArray down = OwnedArrays.of(manager, downValues, new Shape(downShape));
        NDArray up = manager.zeros(new Shape(upShape));
        down.setRequiresGradient(true);
        up.setRequiresGradient(true);
        layers.add(new LoraLayer(t, dim, alpha, down, up, stride, padding, this));
    }

    /**
     * kohya's create_modules rule for one target: (rank, alpha), or null when no module is created
     * (other part, unselected block, C3Lier target without conv dims, rank 0, lr weight 0, absent
     * from the file with dim_from_weights). alpha 0 means alpha = rank, as in kohya.
     */
    static float[] dimAndAlpha(LoraTarget t, NetworkOptions options, LoraNetwork weights) {
        boolean text = t.lbwBlock() == LbwBlock.BASE;
        if ((text && options.trainUnetOnly()) || (!text && options.trainTextEncoderOnly())
                || (options.blocks() != null && !options.blocks().contains(t.lbwBlock()))) {
            return null;
        }
        float[] da;
        if (options.dimFromWeights()) {
            LoraModule m = weights.modules().get(t.loraName());
            da = m == null || m.kind() != LoraKind.LORA ? null : new float[] {m.rank(), m.alpha().orElse((float) m.rank())};
        } else {
            da = optionDimAndAlpha(t, text, options);
        }
        if (da == null || da[0] <= 0) {
            return null;
        }
        if (da[1] == 0f) {
            da[1] = da[0];
        }
        return da;
    }

    private static float[] optionDimAndAlpha(LoraTarget t, boolean text, NetworkOptions options) {
        boolean conv3x3 = t.kind() == LayerKind.CONV3X3;
        boolean convModules = options.convDim() != null || options.convBlockDims() != null;
        if (t.convDimOnly() && !convModules) {
            return null; // C3Lier targets exist only with conv_dim / conv_block_dims
        }
        if (text || !options.blockWise()) {
            if (!conv3x3) {
                return new float[] {options.networkDim(), options.networkAlpha()};
            }
            return options.convDim() == null ? null : new float[] {options.convDim(), options.convAlpha()};
        }
        int i = t.lbwBlock().ordinal() - 1; // kohya's block index: IN00..IN11, M00, OUT00..OUT11
        if (options.blockLr() != null && options.blockLr().factor(t.lbwBlock()) == 0f) {
            return null; // kohya removes blocks whose learning rate weight is 0
        }
        if (!conv3x3) {
            return new float[] {options.blockDims() != null ? options.blockDims()[i] : options.networkDim(),
                    options.blockAlphas() != null ? options.blockAlphas()[i] : options.networkAlpha()};
        }
        if (options.convBlockDims() != null) {
            float a = options.convBlockAlphas() != null ? options.convBlockAlphas()[i]
                    : options.convAlpha() != null ? options.convAlpha() : 1f;
            return new float[] {options.convBlockDims()[i], a};
        }
        return options.convDim() == null ? null : new float[] {options.convDim(), options.convAlpha()};
    }

    private AdaptableLayer layer(LoraTarget t) {
        return model.params().adaptable(t.checkpointKey()).orElseThrow(() -> new IllegalStateException(
                "kohya target " + t.loraName() + " names " + t.checkpointKey() + ", which is no Linear/Conv2d of the model"));
    }

    /** network_weights: copies the file's factors (and alpha) into the modules of the same name. */
    private void loadWeights(LoraNetwork weights) {
        Map<String, LoraLayer> byName = new LinkedHashMap<>();
        layers.forEach(l -> byName.put(l.name(), l));
        List<String> problems = new ArrayList<>();
        for (LoraModule m : weights.modules().values()) {
            LoraLayer l = byName.get(m.name());
            if (l == null) {
                ignoredWeights.add(m.name());
                continue;
            }
            LoraTensor down = m.tensor("lora_down.weight").orElse(null);
            LoraTensor up = m.tensor("lora_up.weight").orElse(null);
            if (m.kind() != LoraKind.LORA || down == null || up == null) {
                problems.add(m.name() + ": not a plain LoRA module (" + m.kind() + ")");
            } else if (!new Shape(down.shape()).equals(l.down().getShape()) || !new Shape(up.shape()).equals(l.up().getShape())) {
                problems.add(m.name() + ": lora_down " + new Shape(down.shape()) + " / lora_up " + new Shape(up.shape())
                        + " do not fit the network's " + l.down().getShape() + " / " + l.up().getShape());
            } else if (m.alpha().isPresent() && m.alpha().get() != l.alpha()) {
                problems.add(m.name() + ": alpha " + m.alpha().get() + " in the file, " + l.alpha()
                        + " from the options (use dim_from_weights to take rank and alpha from the file)");
            } else {
                l.down().set(java.nio.FloatBuffer.wrap(down.values()));
                l.up().set(java.nio.FloatBuffer.wrap(up.values()));
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("network_weights does not fit the network: " + String.join("; ", problems));
        }
    }

    Mode mode() {
        return mode;
    }

    /**
     * Training mode switches on the dropouts ({@code network_dropout}, {@code rank_dropout},
     * {@code module_dropout}), drawn from {@code rng}; evaluation mode computes the plain branch.
     * The draws are remembered until the next call, so a gradient-checkpointed segment recomputes
     * with the same masks ({@link ReplayableState}).
     */
    public void setTraining(boolean training, RandomGenerator rng) {
        if (training && rng == null) {
            throw new IllegalArgumentException("training mode needs a random generator for the dropouts");
        }
        RandomGenerator draws = training ? new ReplayableRandom(rng) : rng;
        mode = new Mode(training, draws, mode.networkDropout(), mode.rankDropout(), mode.moduleDropout(), mode.multiplier());
    }

    /** Dropout draws made since training mode was set (0 outside training). */
    @Override
    public long position() {
        return mode.rng() instanceof ReplayableRandom r ? r.position() : 0;
    }

    @Override
    public void replayFrom(long position) {
        if (mode.rng() instanceof ReplayableRandom r) {
            r.replayFrom(position);
        } else if (position != 0) {
            throw new IllegalStateException("no dropout draws to replay outside training mode");
        }
    }

    public void setMultiplier(float multiplier) {
        mode = new Mode(mode.training(), mode.rng(), mode.networkDropout(), mode.rankDropout(), mode.moduleDropout(), multiplier);
    }

    public NetworkOptions options() {
        return options;
    }

    /** The modules, text encoder first, then UNet, each in checkpoint key order. */
    public List<LoraLayer> layers() {
        return Collections.unmodifiableList(layers);
    }

    /** Modules of the network_weights file that this network has no module for (kohya ignores them too). */
    public List<String> ignoredWeights() {
        return List.copyOf(ignoredWeights);
    }

    /** The network's own manager: LoRA factors and their gradients. */
    public NDManager manager() {
        return manager;
    }

    /**
     * kohya's optimizer groups ({@code prepare_optimizer_params}): the text encoder at
     * {@code text_encoder_lr}, the UNet at {@code unet_lr} (both default to {@code learning_rate});
     * with block lr weights one UNet group per block at lr x weight. With LoRA+ each of these is
     * followed by its {@code "<name> plus"} group holding the {@code lora_up} weights at lr x the
     * part's ratio. Groups with lr 0 are left out (not trained).
     *
     * @param textEncoderLr null for learning_rate
     * @param unetLr        null for learning_rate
     */
    public List<ParamGroup> paramGroups(Double textEncoderLr, Double unetLr, double learningRate) {
        double te = textEncoderLr != null ? textEncoderLr : learningRate;
        double un = unetLr != null ? unetLr : learningRate;
        LoraPlusRatios plus = options.loraPlus();
        Map<String, List<TrainableParam>> params = new LinkedHashMap<>();
        Map<String, Double> lrs = new LinkedHashMap<>();
        for (LoraLayer l : layers) {
            String group;
            double lr;
            Double ratio;
            if (l.isTextEncoder()) {
                group = "textencoder";
                lr = te;
                ratio = plus.textEncoder();
            } else if (options.blockLr() != null) {
                group = "unet_" + l.block().id();
                lr = un * options.blockLr().factor(l.block());
                ratio = plus.unet();
            } else {
                group = "unet";
                lr = un;
                ratio = plus.unet();
            }
            lrs.put(group, lr);
            params.computeIfAbsent(group, k -> new ArrayList<>())
                    .add(new TrainableParam(l.name() + ".lora_down.weight", l.down()));
            String upGroup = ratio == null ? group : group + " plus";
            if (ratio != null) {
                lrs.put(upGroup, lr * ratio);
            }
            params.computeIfAbsent(upGroup, k -> new ArrayList<>())
                    .add(new TrainableParam(l.name() + ".lora_up.weight", l.up()));
        }
        List<ParamGroup> out = new ArrayList<>();
        params.forEach((group, p) -> {
            if (lrs.get(group) != 0.0) {
                out.add(new ParamGroup(group, lrs.get(group), p));
            }
        });
        return out;
    }

    /**
     * Clears the factors' accumulated gradients (libtorch adds every backward pass to them, and
     * closing the collector does not reset them): call after each optimizer update.
     */
    public void zeroGradients() {
        for (LoraLayer l : layers) {
            JniUtils.zeroGrad((PtNDArray) l.down());
            JniUtils.zeroGrad((PtNDArray) l.up());
        }
    }

    /** The blocks that hold at least one module. */
    public EnumSet<LbwBlock> blocksPresent() {
        EnumSet<LbwBlock> out = EnumSet.noneOf(LbwBlock.class);
        layers.forEach(l -> out.add(l.block()));
        return out;
    }

    /**
     * The network as kohya saves it: {@code <name>.lora_down.weight}, {@code .lora_up.weight} and
     * the 0-dim {@code .alpha}, values copied to the Java side (float32).
     */
    public LoraNetwork snapshot(Map<String, String> metadata) {
        Map<String, LoraModule> modules = new LinkedHashMap<>();
        for (LoraLayer l : layers) {
            Map<String, LoraTensor> t = new LinkedHashMap<>();
            t.put("lora_down.weight", new LoraTensor(DType.F32, l.down().getShape().getShape(), l.down().toFloatArray()));
            t.put("lora_up.weight", new LoraTensor(DType.F32, l.up().getShape().getShape(), l.up().toFloatArray()));
            t.put("alpha", LoraTensor.scalar(l.alpha()));
            modules.put(l.name(), new LoraModule(l.name(), LoraKind.LORA, t));
        }
        return new LoraNetwork(modules, metadata, List.of(), EnumSet.of(LoraNetwork.KeyStyle.KOHYA));
    }

    /**
     * Writes the network (atomically) in {@code save_precision}: F32, F16 or BF16, converted on the
     * Java side (no bf16 tensor is ever created), with kohya's {@code sshs_*} hashes added.
     */
    public void save(Path file, DType savePrecision, Map<String, String> metadata) throws TensorFileException {
        if (savePrecision != DType.F32 && savePrecision != DType.F16 && savePrecision != DType.BF16) {
            throw new IllegalArgumentException("save_precision must be float, fp16 or bf16, got " + savePrecision);
        }
        LoraWriter.write(snapshot(metadata), file, savePrecision, true);
    }

    /**
     * Runs {@code work} on the plain model: every module unhooked for its duration, hooked again
     * after. Training samples use it to run the model exactly as inference does, with the saved
     * form of this network patched into the weights instead of the live branches.
     */
    public <T> T unhooked(java.util.function.Supplier<T> work) {
        layers.forEach(l -> layer(l.target()).setAdapter(null));
        try {
            return work.get();
        } finally {
            layers.forEach(l -> layer(l.target()).setAdapter(l));
        }
    }

    /** Unhooks every module from the model and frees the factors and their gradients. */
    @Override
    public void close() {
        for (LoraLayer l : layers) {
            model.params().adaptable(l.target().checkpointKey()).ifPresent(a -> a.setAdapter(null));
        }
        layers.clear();
        manager.close();
    }
}
