package dev.bakehouse.train.data;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * kohya's aspect-ratio buckets ({@code BucketManager} with {@code make_bucket_resolutions}) after
 * {@code adjust_min_max_bucket_reso_by_steps}. Every comparison and rounding is done in IEEE
 * double in kohya's operation order: exact ties and {@code int(x + 0.5)} are decided by double
 * rounding, and the fixtures pin those cases.
 */
public final class BucketResolutions {
    /** How images get their bucket. */
    public enum Mode {
        /** enable_bucket: the nearest-ratio bucket of the predefined list. */
        PREDEFINED,
        /** enable_bucket + bucket_no_upscale: a bucket computed per image, never upscaled. */
        NO_UPSCALE,
        /** enable_bucket off: the one {@code resolution} bucket. */
        SINGLE
    }

    private final Mode mode;
    private final Size resolution;
    private final int minBucketReso;
    private final int maxBucketReso;
    private final int steps;
    private final List<Size> predefined;
    private final Set<Size> predefinedSet;
    private final double[] predefinedRatios;

    private BucketResolutions(Mode mode, Size resolution, int min, int max, int steps, List<Size> predefined) {
        this.mode = mode;
        this.resolution = resolution;
        this.minBucketReso = min;
        this.maxBucketReso = max;
        this.steps = steps;
        this.predefined = predefined == null ? null : List.copyOf(predefined);
        this.predefinedSet = predefined == null ? Set.of() : new HashSet<>(predefined);
        this.predefinedRatios = predefined == null ? null
                : predefined.stream().mapToDouble(s -> (double) s.width() / s.height()).toArray();
    }

    /**
     * Validates and adjusts the options as kohya's {@code DreamBoothDataset.__init__} and
     * {@code make_buckets} do, appending kohya's warnings (English half) to {@code warnings}.
     *
     * @throws IllegalArgumentException with kohya's assertion text when the setting is rejected
     */
    public static BucketResolutions prepare(BucketOptions o, BucketOptions.Script script, List<String> warnings) {
        Size res = o.resolution();
        if (!o.enableBucket()) {
            return new BucketResolutions(Mode.SINGLE, res, 0, 0, 0, List.of(res));
        }
        int step = o.bucketResoSteps();
        if (step < 1) {
            throw new IllegalArgumentException("bucket_reso_steps: expected a positive number, found " + step);
        }
        if (step % script.stepMultiple != 0) {
            throw new IllegalArgumentException("bucket_reso_steps is " + step + ". it must be divisible by "
                    + script.stepMultiple + " for " + script.name().toLowerCase() + " (only SDXL accepts 32)");
        }
        int min = o.minBucketReso();
        int max = o.maxBucketReso();
        if (min % step != 0) {
            int adjusted = min - min % step;
            warnings.add("min_bucket_reso is adjusted to be multiple of bucket_reso_steps: " + min + " -> " + adjusted);
            min = adjusted;
        }
        if (max % step != 0) {
            int adjusted = max + step - max % step;
            warnings.add("max_bucket_reso is adjusted to be multiple of bucket_reso_steps: " + max + " -> " + adjusted);
            max = adjusted;
        }
        if (Math.min(res.width(), res.height()) < min) {
            throw new IllegalArgumentException("min_bucket_reso must be equal or less than resolution");
        }
        if (Math.max(res.width(), res.height()) > max) {
            throw new IllegalArgumentException("max_bucket_reso must be equal or greater than resolution");
        }
        if (o.bucketNoUpscale()) {
            warnings.add("min_bucket_reso and max_bucket_reso are ignored if bucket_no_upscale is set, because bucket"
                    + " reso is defined by image size automatically");
            return new BucketResolutions(Mode.NO_UPSCALE, res, min, max, step, null);
        }
        return new BucketResolutions(Mode.PREDEFINED, res, min, max, step, makeBucketResolutions(res, min, max, step));
    }

    /** kohya's {@code make_bucket_resolutions}: only the resolution's area matters; sorted by (w, h). */
    static List<Size> makeBucketResolutions(Size resolution, int min, int max, int step) {
        long area = resolution.area();
        Set<Size> resos = new TreeSet<>();
        int square = (int) Math.floor(Math.sqrt((double) area) / step) * step;
        resos.add(new Size(square, square));
        for (int w = min; w <= max; w += step) {
            int h = (int) Math.min(max, (area / w) / step * step);
            if (h >= min) {
                resos.add(new Size(w, h));
                resos.add(new Size(h, w));
            }
        }
        return new ArrayList<>(resos);
    }

    public Mode mode() {
        return mode;
    }

    public Size resolution() {
        return resolution;
    }

    /** After adjustment; 0 when bucketing is off. */
    public int minBucketReso() {
        return minBucketReso;
    }

    public int maxBucketReso() {
        return maxBucketReso;
    }

    public int bucketResoSteps() {
        return steps;
    }

    /** The list the nearest-ratio search scans, in kohya's order; null for bucket_no_upscale. */
    public List<Size> predefined() {
        return predefined;
    }

    /**
     * The bucket of an image of this size (kohya's {@code select_bucket}).
     *
     * @throws ArithmeticException where kohya raises {@code ZeroDivisionError}: under
     *     bucket_no_upscale a bucket height rounds to 0
     */
    public BucketAssignment select(Size image) {
        int width = image.width();
        int height = image.height();
        double aspect = (double) width / height;
        if (mode != Mode.NO_UPSCALE) {
            boolean exact = predefinedSet.contains(image);
            Size reso = exact ? image : predefined.get(nearestRatio(aspect));
            double arReso = (double) reso.width() / reso.height();
            double scale = aspect > arReso ? (double) reso.height() / height : (double) reso.width() / width;
            Size resized = new Size((int) (width * scale + 0.5), (int) (height * scale + 0.5));
            return new BucketAssignment(image, reso, resized, arReso - aspect, exact);
        }
        Size resized;
        long maxArea = resolution.area();
        if ((long) width * height > maxArea) {
            double rw = Math.sqrt(maxArea * aspect);
            double rh = maxArea / rw;
            int bwA = roundToSteps(rw);
            int bhA = roundToSteps(bwA / aspect);
            double arA = (double) bwA / nonZero(bhA);
            int bhB = roundToSteps(rh);
            int bwB = roundToSteps(bhB * aspect);
            double arB = (double) bwB / nonZero(bhB);
            resized = Math.abs(arA - aspect) < Math.abs(arB - aspect)
                    ? new Size(bwA, (int) (bwA / aspect + 0.5))
                    : new Size((int) (bhB * aspect + 0.5), bhB);
        } else {
            resized = image;
        }
        Size bucket = new Size(resized.width() - resized.width() % steps, resized.height() - resized.height() % steps);
        double arError = (double) bucket.width() / nonZero(bucket.height()) - aspect;
        return new BucketAssignment(image, bucket, resized, arError, false);
    }

    private static int nonZero(int divisor) {
        if (divisor == 0) {
            throw new ArithmeticException("ZeroDivisionError: a bucket side rounds to 0 under bucket_no_upscale");
        }
        return divisor;
    }

    /** numpy argmin of |ratio - aspect|: the first index wins on equal doubles. */
    private int nearestRatio(double aspect) {
        int best = 0;
        double bestErr = Math.abs(predefinedRatios[0] - aspect);
        for (int i = 1; i < predefinedRatios.length; i++) {
            double err = Math.abs(predefinedRatios[i] - aspect);
            if (err < bestErr) {
                best = i;
                bestErr = err;
            }
        }
        return best;
    }

    private int roundToSteps(double x) {
        int i = (int) (x + 0.5);
        return i - i % steps;
    }
}
