package dev.bakehouse.model.conditioning;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.bakehouse.model.unet.TimestepEmbedding;
import java.util.List;

/**
 * SDXL's size and crop conditioning of one image (sgm {@code original_size_as_tuple},
 * {@code crop_coords_top_left}, {@code target_size_as_tuple}; ComfyUI {@code CLIPTextEncodeSDXL}'s
 * width/height, crop_w/crop_h, target_width/target_height). Sizes are (height, width), crops
 * (top, left), in pixels.
 */
public record SizeConditioning(long originalHeight, long originalWidth, long cropTop, long cropLeft,
                               long targetHeight, long targetWidth) {
    /** The numbers in diffusers' {@code add_time_ids} order. */
    public static final int COUNT = 6;

    public SizeConditioning {
        // ComfyUI's CLIPTextEncodeSDXL accepts 0 for every number; negative ones have no meaning
        if (originalHeight < 0 || originalWidth < 0 || targetHeight < 0 || targetWidth < 0 || cropTop < 0 || cropLeft < 0) {
            throw new IllegalArgumentException("SDXL size conditioning: sizes and crops must be >= 0, got original ("
                    + originalHeight + ", " + originalWidth + "), crop (" + cropTop + ", " + cropLeft + "), target ("
                    + targetHeight + ", " + targetWidth + ")");
        }
    }

    /** An uncropped image generated at its own size (what ComfyUI and diffusers default to). */
    public static SizeConditioning uncropped(long height, long width) {
        return new SizeConditioning(height, width, 0, 0, height, width);
    }

    /**
     * One row per image from sgm's batch tensors, each (B, 2) flattened: original_size_as_tuple
     * (height, width), crop_coords_top_left (top, left), target_size_as_tuple (height, width).
     */
    public static List<SizeConditioning> rows(long[] originalSize, long[] cropTopLeft, long[] targetSize) {
        if (originalSize.length % 2 != 0 || cropTopLeft.length != originalSize.length || targetSize.length != originalSize.length) {
            throw new IllegalArgumentException("SDXL size conditioning: original_size, crop_coords_top_left and target_size "
                    + "must all be (B, 2), got " + originalSize.length + ", " + cropTopLeft.length + " and "
                    + targetSize.length + " values");
        }
        List<SizeConditioning> out = new java.util.ArrayList<>();
        for (int b = 0; b < originalSize.length / 2; b++) {
            out.add(new SizeConditioning(originalSize[2 * b], originalSize[2 * b + 1], cropTopLeft[2 * b],
                    cropTopLeft[2 * b + 1], targetSize[2 * b], targetSize[2 * b + 1]));
        }
        return out;
    }

    /** (orig_h, orig_w, crop_top, crop_left, target_h, target_w): diffusers {@code add_time_ids}. */
    public long[] timeIds() {
        return new long[] {originalHeight, originalWidth, cropTop, cropLeft, targetHeight, targetWidth};
    }

    /**
     * Every number of every row embedded on its own with the timestep embedding [cos | sin] of
     * {@code dim} values (sgm {@code ConcatTimestepEmbedderND}, outdim 256), concatenated in
     * {@link #timeIds} order: (B, 6 * dim) float32 in {@code manager}.
     */
    public static NDArray embed(List<SizeConditioning> rows, int dim, NDManager manager) {
        long[] ids = new long[rows.size() * COUNT];
        for (int b = 0; b < rows.size(); b++) {
            System.arraycopy(rows.get(b).timeIds(), 0, ids, b * COUNT, COUNT);
        }
        try (NDManager scratch = manager.newSubManager()) {
            NDArray numbers = scratch.create(ids);
            NDArray flat = TimestepEmbedding.sinusoidal(numbers, dim, ids.length, manager);
            return flat.reshape(new Shape(rows.size(), (long) COUNT * dim));
        }
    }
}
