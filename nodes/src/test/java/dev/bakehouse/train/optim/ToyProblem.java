package dev.bakehouse.train.optim;

import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A small least-squares problem: parameters pulled towards fixed targets, gradient
 * {@code (p - target) + noise} with seeded noise, so runs are repeatable and the loss falls.
 */
final class ToyProblem {
    final List<TrainableParam> params = new ArrayList<>();
    final List<ParamGroup> groups;
    private final List<float[]> targets = new ArrayList<>();
    private final SplittableRandom rng;

    /**
     * Two groups: "unet" with a [rows, cols] matrix, a bias and a conv [4, 3, 3, 3] (Adafactor
     * factors its last two axes), "text_encoder" with a zero [4, 3].
     */
    ToyProblem(NDManager m, int rows, int cols, double unetLr, double teLr, long seed) {
        rng = new SplittableRandom(seed);
        TrainableParam w = add(m, "unet.lora_down", rows * cols, 0.05f, rows, cols);
        TrainableParam b = add(m, "unet.bias", 5, 0.1f, 5);
        TrainableParam conv = add(m, "unet.conv.lora_down", 108, 0.05f, 4, 3, 3, 3);
        TrainableParam up = add(m, "te.lora_up", 12, 0f, 4, 3);
        groups = List.of(new ParamGroup("unet", unetLr, List.of(w, b, conv)), new ParamGroup("text_encoder", teLr, List.of(up)));
    }

    private TrainableParam add(NDManager m, String name, int n, float scale, long... shape) {
        float[] init = new float[n];
        float[] target = new float[n];
        for (int i = 0; i < n; i++) {
            init[i] = (float) ((rng.nextDouble() * 2 - 1) * scale);
            target[i] = (float) (rng.nextDouble() * 2 - 1) * 0.5f;
        }
        TrainableParam p = OptimizerHarness.param(m, name, init, shape);
        params.add(p);
        targets.add(target);
        return p;
    }

    /** Sets the gradients of the current values for step {@code t} (noise depends only on t). */
    void setGradients(NDManager m, int t) {
        SplittableRandom noise = new SplittableRandom(1000 + t);
        List<float[]> grads = new ArrayList<>();
        for (int i = 0; i < params.size(); i++) {
            float[] v = params.get(i).value().toFloatArray();
            float[] g = new float[v.length];
            for (int j = 0; j < v.length; j++) {
                g[j] = (v[j] - targets.get(i)[j]) + (float) ((noise.nextDouble() * 2 - 1) * 0.1);
            }
            grads.add(g);
        }
        OptimizerHarness.setGradients(m, params, grads);
    }

    double loss() {
        double sum = 0;
        for (int i = 0; i < params.size(); i++) {
            float[] v = params.get(i).value().toFloatArray();
            for (int j = 0; j < v.length; j++) {
                double d = v[j] - targets.get(i)[j];
                sum += 0.5 * d * d;
            }
        }
        return sum;
    }

    /** Overwrites every value with those of {@code other} (what loading the saved LoRA does). */
    void copyValuesFrom(ToyProblem other) {
        for (int i = 0; i < params.size(); i++) {
            params.get(i).value().set(other.params.get(i).value().toFloatArray());
        }
    }
}
