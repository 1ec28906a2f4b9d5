package dev.bakehouse.train.data;

/**
 * A subset's image augmentation options, kohya's names: {@code flip_aug}, {@code color_aug},
 * {@code random_crop}, {@code face_crop_aug_range} (null or {min, max} as fractions of the
 * image).
 */
public record Augmentation(boolean flipAug, boolean colorAug, boolean randomCrop, double[] faceCropAugRange) {
    public static final Augmentation NONE = new Augmentation(false, false, false, null);

    public Augmentation {
        if (faceCropAugRange != null) {
            if (faceCropAugRange.length != 2 || !(faceCropAugRange[0] > 0) || faceCropAugRange[0] > faceCropAugRange[1]) {
                throw new IllegalArgumentException("face_crop_aug_range: expected \"min,max\" with 0 < min <= max, found "
                        + java.util.Arrays.toString(faceCropAugRange));
            }
            faceCropAugRange = faceCropAugRange.clone();
        }
    }

    /**
     * kohya's conflicts with {@code cache_latents}: a cached latent is one fixed crop and colour,
     * so augmentations that change pixels per epoch cannot be cached ({@code flip_aug} can: both
     * flips are cached).
     *
     * @throws IllegalArgumentException naming both options
     */
    public void checkCacheable(String where) {
        if (colorAug) {
            throw new IllegalArgumentException(where + "color_aug cannot be used with cache_latents");
        }
        if (randomCrop) {
            throw new IllegalArgumentException(where + "random_crop cannot be used with cache_latents");
        }
        if (faceCropAugRange != null) {
            throw new IllegalArgumentException(where + "face_crop_aug_range cannot be used with cache_latents");
        }
    }
}
