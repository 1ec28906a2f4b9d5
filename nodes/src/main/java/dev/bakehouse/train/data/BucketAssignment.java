package dev.bakehouse.train.data;

/**
 * Where one image goes: its bucket, the size it is resized to before cropping, and kohya's
 * {@code ar_error = bucket_w / bucket_h - width / height}. {@code exactMatch} is true when the
 * image size itself is a predefined bucket.
 */
public record BucketAssignment(Size image, Size bucket, Size resized, double arError, boolean exactMatch) {

    /** A bucket with a zero side (bucket_no_upscale on an image narrower than one step) cannot be trained. */
    public boolean usable() {
        return bucket.width() > 0 && bucket.height() > 0;
    }

    /** Center-crop offsets {@code [(rw - bw) // 2, (rh - bh) // 2]} (kohya's default, random_crop off). */
    public Size centerCropLeftTop() {
        return new Size(Math.max(0, (resized.width() - bucket.width()) / 2),
                Math.max(0, (resized.height() - bucket.height()) / 2));
    }

    /** The largest offsets {@code random_crop} may draw (both ends inclusive). */
    public Size randomCropMax() {
        return new Size(Math.max(0, resized.width() - bucket.width()), Math.max(0, resized.height() - bucket.height()));
    }

    /** kohya's default interpolation for the resize, or null when none happens. */
    public Interpolation interpolation() {
        if (resized.equals(image)) {
            return null;
        }
        boolean grows = resized.width() > image.width() || resized.height() > image.height();
        return grows ? Interpolation.LANCZOS : Interpolation.AREA;
    }

    /**
     * SDXL size conditioning's crop box from kohya's {@code get_crop_ltrb}: computed as if the
     * image were fitted inside the bucket, so it is not the real crop offset (see the fixture
     * README §2). Returns {left, top, right, bottom} as kohya's Python numbers.
     */
    public double[] sdxlCropLtrb() {
        double bucketAr = (double) bucket.width() / bucket.height();
        double imageAr = (double) image.width() / image.height();
        double resizedWidth;
        double resizedHeight;
        if (bucketAr > imageAr) {
            resizedWidth = bucket.height() * imageAr;
            resizedHeight = bucket.height();
        } else {
            resizedWidth = bucket.width();
            resizedHeight = bucket.width() / imageAr;
        }
        double left = Math.floor((bucket.width() - resizedWidth) / 2);
        double top = Math.floor((bucket.height() - resizedHeight) / 2);
        return new double[] {left, top, left + resizedWidth, top + resizedHeight};
    }

    /** SDXL {@code crop_top_left} = {@code (int(top), int(left))}; flipped: left is {@code int(bucket_w - right)}. */
    public int[] sdxlCropTopLeft(boolean flipped) {
        double[] ltrb = sdxlCropLtrb();
        int left = flipped ? (int) (bucket.width() - ltrb[2]) : (int) ltrb[0];
        return new int[] {(int) ltrb[1], left};
    }

    /** How kohya resizes when {@code --resize_interpolation} is unset. */
    public enum Interpolation {
        /** cv2 INTER_AREA: neither side grows. */
        AREA,
        /** PIL LANCZOS: some side grows. */
        LANCZOS
    }
}
