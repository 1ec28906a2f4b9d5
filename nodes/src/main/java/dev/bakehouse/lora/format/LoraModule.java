package dev.bakehouse.lora.format;

import dev.bakehouse.tensor.Shapes;
import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One adapted layer of a LoRA file: its kohya module name ({@code lora_unet_…}, {@code lora_te_…}),
 * algorithm, and tensors by suffix ({@code lora_down.weight}, {@code alpha}, {@code hada_w1_a}…).
 *
 * <p>Scale follows the loaders users know (kohya, ComfyUI): alpha / rank when the file has an
 * alpha, else 1. {@link #deltaWeight} is the pure ΔW = scale · rebuild(factors); applying it (with
 * a strength, LBW ratios, DoRA's norm using the base weight) is the caller's business.
 */
public record LoraModule(String name, LoraKind kind, Map<String, LoraTensor> tensors) {

    public LoraModule {
        tensors = Collections.unmodifiableMap(new TreeMap<>(tensors));
    }

    public Optional<LoraTensor> tensor(String suffix) {
        return Optional.ofNullable(tensors.get(suffix));
    }

    /** The alpha stored in the file, if any. */
    public Optional<Float> alpha() {
        return tensor("alpha").map(t -> t.values()[0]);
    }

    /** DoRA's per-channel magnitude ({@code dora_scale}), if this is a DoRA module. */
    public Optional<LoraTensor> doraScale() {
        return tensor("dora_scale");
    }

    /** The factorisation rank, or -1 where the kind has none (full diff, undecomposed LoKr). */
    public int rank() {
        return switch (kind) {
            case LORA -> (int) require("lora_down.weight").dim(0);
            case LOHA -> (int) require("hada_w1_b").dim(0);
            case LOKR -> tensor("lokr_w1_b").or(() -> tensor("lokr_w2_b")).map(t -> (int) t.dim(0)).orElse(-1);
            default -> -1;
        };
    }

    /** alpha / rank, or 1 when there is no alpha or no rank. */
    public double scale() {
        int r = rank();
        Optional<Float> a = alpha();
        return a.isPresent() && r > 0 ? a.get() / (double) r : 1.0;
    }

    /** The adapted layer's kind, for LoRA modules (from the down/mid kernel); empty for others. */
    public Optional<LayerKind> layerKind() {
        if (kind != LoraKind.LORA) {
            return Optional.empty();
        }
        LoraTensor down = require("lora_down.weight");
        if (down.rank() == 2) {
            return Optional.of(LayerKind.LINEAR);
        }
        long[] kernel = tensor("lora_mid.weight").orElse(down).shape();
        return Optional.of(kernel[2] == 1 && kernel[3] == 1 ? LayerKind.CONV1X1 : LayerKind.CONV3X3);
    }

    /**
     * Checks, from the factors' shapes alone, that {@link #deltaWeight} rebuilds a weight of
     * {@code targetShape} (PyTorch order): the cheap test a loader runs before anything is applied.
     *
     * @throws IllegalArgumentException naming the factors and the target when they do not fit, or
     *                                  the kind has no ΔW (GLoRA, IA3, OFT, norms)
     */
    public void checkFits(long[] targetShape) {
        long rebuilt = switch (kind) {
            case LORA -> loraNumel();
            case LOHA -> lohaNumel();
            case LOKR -> lokrNumel(targetShape);
            case FULL -> require("diff").values().length;
            default -> throw new IllegalArgumentException(name + ": " + kind + " modules have no ΔW here");
        };
        long numel = Shapes.numel(targetShape);
        if (rebuilt != numel) {
            throw new IllegalArgumentException(name + ": factors rebuild " + rebuilt + " values, target weight "
                    + Arrays.toString(targetShape) + " has " + numel);
        }
    }

    private long loraNumel() {
        LoraTensor up = require("lora_up.weight");
        LoraTensor down = require("lora_down.weight");
        Optional<LoraTensor> mid = tensor("lora_mid.weight");
        if (mid.isEmpty()) {
            requireInner("lora_up.weight", up.cols(), "lora_down.weight", down.rows());
            return (long) up.rows() * down.cols();
        }
        LoraTensor m = mid.get();
        requireInner("lora_up.weight", up.cols(), "lora_mid.weight", m.dim(0));
        requireInner("lora_mid.weight", m.dim(1), "lora_down.weight", down.rows());
        return (long) up.rows() * down.cols() * (m.cols() / m.dim(1));
    }

    private long lohaNumel() {
        long first = lohaFactorNumel("1");
        long second = lohaFactorNumel("2");
        if (first != second) {
            throw new IllegalArgumentException(name + ": hada_w1 rebuilds " + first + " values, hada_w2 " + second);
        }
        return first;
    }

    private long lohaFactorNumel(String i) {
        LoraTensor a = require("hada_w" + i + "_a");
        LoraTensor b = require("hada_w" + i + "_b");
        Optional<LoraTensor> t = tensor("hada_t" + i);
        if (t.isEmpty()) {
            requireInner("hada_w" + i + "_a", a.cols(), "hada_w" + i + "_b", b.rows());
            return (long) a.rows() * b.cols();
        }
        LoraTensor core = t.get();
        requireInner("hada_t" + i, core.dim(0), "hada_w" + i + "_a", a.rows());
        requireInner("hada_t" + i, core.dim(1), "hada_w" + i + "_b", b.rows());
        return (long) a.cols() * b.cols() * (core.cols() / core.dim(1));
    }

    private long lokrNumel(long[] target) {
        long a;
        long b;
        if (tensors.containsKey("lokr_w1")) {
            a = require("lokr_w1").rows();
            b = require("lokr_w1").cols();
        } else {
            LoraTensor wa = require("lokr_w1_a");
            LoraTensor wb = require("lokr_w1_b");
            requireInner("lokr_w1_a", wa.cols(), "lokr_w1_b", wb.rows());
            a = wa.rows();
            b = wb.cols();
        }
        if (target.length < 2 || target[0] % a != 0 || target[1] % b != 0) {
            throw new IllegalArgumentException(name + ": lokr_w1 (" + a + " x " + b + ") does not divide target "
                    + Arrays.toString(target));
        }
        long w2;
        if (tensors.containsKey("lokr_w2")) {
            w2 = require("lokr_w2").values().length;
        } else {
            LoraTensor wa = require("lokr_w2_a");
            LoraTensor wb = require("lokr_w2_b");
            Optional<LoraTensor> t = tensor("lokr_t2");
            if (t.isPresent()) {
                LoraTensor core = t.get();
                requireInner("lokr_t2", core.dim(0), "lokr_w2_a", wa.rows());
                requireInner("lokr_t2", core.dim(1), "lokr_w2_b", wb.rows());
                w2 = (long) wa.cols() * wb.cols() * (core.cols() / core.dim(1));
            } else {
                requireInner("lokr_w2_a", wa.cols(), "lokr_w2_b", wb.rows());
                w2 = (long) wa.rows() * wb.cols();
            }
        }
        return a * b * w2;
    }

    /** The shared (rank) dimension of two factors that multiply. */
    private void requireInner(String left, long leftDim, String right, long rightDim) {
        if (leftDim != rightDim) {
            throw new IllegalArgumentException(name + ": " + left + " has inner size " + leftDim + ", " + right
                    + " has " + rightDim);
        }
    }

    /**
     * ΔW for a target weight of {@code targetShape} (PyTorch order), scale included, multiplier not.
     *
     * @throws IllegalArgumentException if the factors do not rebuild a weight of that shape, or the
     *                                  kind has no ΔW (GLoRA, IA3, OFT, norms)
     */
    public float[] deltaWeight(long[] targetShape) {
        checkFits(targetShape);
        float[] delta = switch (kind) {
            case LORA -> loraDelta();
            case LOHA -> lohaDelta();
            case LOKR -> lokrDelta(targetShape);
            default -> require("diff").values().clone(); // FULL; checkFits rejected the kinds without ΔW
        };
        return LoraMath.scale(delta, scale());
    }

    private float[] loraDelta() {
        LoraTensor up = require("lora_up.weight");
        LoraTensor down = require("lora_down.weight");
        int r = down.rows();
        Optional<LoraTensor> mid = tensor("lora_mid.weight");
        if (mid.isPresent()) {
            LoraTensor m = mid.get();
            int s = m.cols() / (int) m.dim(1);
            return LoraMath.tucker(m.values(), transpose(up.values(), up.rows(), up.cols()), down.values(),
                    (int) m.dim(0), (int) m.dim(1), s, up.rows(), down.cols());
        }
        return LoraMath.matmul(up.values(), down.values(), up.rows(), r, down.cols());
    }

    private float[] lohaDelta() {
        return LoraMath.hadamard(lohaFactor("1"), lohaFactor("2"));
    }

    private float[] lohaFactor(String i) {
        LoraTensor a = require("hada_w" + i + "_a");
        LoraTensor b = require("hada_w" + i + "_b");
        Optional<LoraTensor> t = tensor("hada_t" + i);
        if (t.isPresent()) { // Tucker: a is (rank x out), b is (rank x in), t is (rank x rank x kh x kw)
            LoraTensor core = t.get();
            int s = core.cols() / (int) core.dim(1);
            return LoraMath.tucker(core.values(), a.values(), b.values(), (int) core.dim(0), (int) core.dim(1), s,
                    a.cols(), b.cols());
        }
        return LoraMath.matmul(a.values(), b.values(), a.rows(), a.cols(), b.cols());
    }

    private float[] lokrDelta(long[] target) {
        float[] w1;
        int a;
        int b;
        if (tensors.containsKey("lokr_w1")) {
            LoraTensor t = require("lokr_w1");
            w1 = t.values();
            a = t.rows();
            b = t.cols();
        } else {
            LoraTensor wa = require("lokr_w1_a");
            LoraTensor wb = require("lokr_w1_b");
            w1 = LoraMath.matmul(wa.values(), wb.values(), wa.rows(), wa.cols(), wb.cols());
            a = wa.rows();
            b = wb.cols();
        }
        int c = (int) (target[0] / a);
        int d = (int) (target[1] / b);
        int s = (int) (Shapes.numel(target) / target[0] / target[1]);
        float[] w2;
        if (tensors.containsKey("lokr_w2")) {
            w2 = require("lokr_w2").values();
        } else if (tensors.containsKey("lokr_t2")) {
            LoraTensor core = require("lokr_t2");
            LoraTensor wa = require("lokr_w2_a");
            LoraTensor wb = require("lokr_w2_b");
            w2 = LoraMath.tucker(core.values(), wa.values(), wb.values(), (int) core.dim(0), (int) core.dim(1),
                    core.cols() / (int) core.dim(1), wa.cols(), wb.cols());
        } else {
            LoraTensor wa = require("lokr_w2_a");
            LoraTensor wb = require("lokr_w2_b");
            w2 = LoraMath.matmul(wa.values(), wb.values(), wa.rows(), wa.cols(), wb.cols());
        }
        return LoraMath.kron(w1, a, b, w2, c, d, s);
    }

    private LoraTensor require(String suffix) {
        LoraTensor t = tensors.get(suffix);
        if (t == null) {
            throw new IllegalArgumentException(name + ": " + kind + " module lacks '" + suffix + "'");
        }
        return t;
    }

    private static float[] transpose(float[] m, int rows, int cols) {
        float[] t = new float[m.length];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                t[j * rows + i] = m[i * cols + j];
            }
        }
        return t;
    }
}
