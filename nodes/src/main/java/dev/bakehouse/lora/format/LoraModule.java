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
     * ΔW for a target weight of {@code targetShape} (PyTorch order), scale included, multiplier not.
     *
     * @throws IllegalArgumentException if the factors do not rebuild a weight of that shape, or the
     *                                  kind has no ΔW (GLoRA, IA3, OFT, norms)
     */
    public float[] deltaWeight(long[] targetShape) {
        long numel = Shapes.numel(targetShape);
        float[] delta = switch (kind) {
            case LORA -> loraDelta();
            case LOHA -> lohaDelta();
            case LOKR -> lokrDelta(targetShape);
            case FULL -> require("diff").values().clone();
            default -> throw new IllegalArgumentException(name + ": " + kind + " modules have no ΔW here");
        };
        if (delta.length != numel) {
            throw new IllegalArgumentException(name + ": factors rebuild " + delta.length + " values, target weight "
                    + Arrays.toString(targetShape) + " has " + numel);
        }
        return LoraMath.scale(delta, scale());
    }

    private float[] loraDelta() {
        LoraTensor up = require("lora_up.weight");
        LoraTensor down = require("lora_down.weight");
        int r = down.rows();
        if (up.cols() != r && !tensors.containsKey("lora_mid.weight")) {
            throw new IllegalArgumentException(name + ": lora_up " + up + " does not match lora_down " + down);
        }
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
        if (target.length < 2 || target[0] % a != 0 || target[1] % b != 0) {
            throw new IllegalArgumentException(name + ": lokr_w1 (" + a + " x " + b + ") does not divide target "
                    + Arrays.toString(target));
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
        if (w2.length != c * d * s) {
            throw new IllegalArgumentException(name + ": lokr_w2 has " + w2.length + " values, expected " + c + " x " + d
                    + " x " + s + " for target " + Arrays.toString(target));
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
