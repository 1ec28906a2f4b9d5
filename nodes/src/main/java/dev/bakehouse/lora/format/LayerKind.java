package dev.bakehouse.lora.format;

/** The layer a module adapts, with kohya's names ({@code sd15-lora-modules.tsv} "kind"). */
public enum LayerKind {
    LINEAR("linear"),
    CONV1X1("conv1x1"),
    CONV3X3("conv3x3");

    private final String label;

    LayerKind(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** From a weight shape: rank 2 is linear, rank 4 a conv by its kernel. */
    public static LayerKind ofWeightShape(long[] shape) {
        if (shape.length == 2) {
            return LINEAR;
        }
        if (shape.length == 4 && shape[2] == 1 && shape[3] == 1) {
            return CONV1X1;
        }
        if (shape.length == 4 && shape[2] == 3 && shape[3] == 3) {
            return CONV3X3;
        }
        throw new IllegalArgumentException("weight shape " + java.util.Arrays.toString(shape) + " is not linear, 1x1 or 3x3 conv");
    }
}
