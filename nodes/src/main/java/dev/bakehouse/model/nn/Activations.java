package dev.bakehouse.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.jni.JniUtils;

/** Activations DJL does not offer directly. */
public final class Activations {
    private Activations() {}

    /** x * sigmoid(x) (SiLU / swish). */
    public static NDArray silu(NDArray x) {
        if (JniUtils.isGradMode()) {
            return x.mul(x.getNDArrayInternal().sigmoid()); // recording: see GroupNorm#forward
        }
        // the sigmoid is as large as x; autograd keeps its own reference when it needs one
        try (NDArray sigmoid = x.getNDArrayInternal().sigmoid()) {
            return x.mul(sigmoid);
        }
    }

    /** CLIP's quick GELU: x * sigmoid(1.702 x). */
    public static NDArray quickGelu(NDArray x) {
        return x.mul(OwnedArrays.times(x, 1.702f).getNDArrayInternal().sigmoid());
    }

    /** The exact erf GELU (torch's default, used by SD's GEGLU). */
    public static NDArray gelu(NDArray x) {
        return ai.djl.nn.Activation.gelu(x);
    }
}
