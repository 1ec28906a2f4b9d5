package dev.bakehouse.train.data;

/**
 * kohya's bucketing options as given ({@code --resolution}, {@code --enable_bucket},
 * {@code --min_bucket_reso}, {@code --max_bucket_reso}, {@code --bucket_reso_steps},
 * {@code --bucket_no_upscale}); {@link BucketResolutions#prepare} validates and adjusts them.
 */
public record BucketOptions(
        Size resolution,
        boolean enableBucket,
        int minBucketReso,
        int maxBucketReso,
        int bucketResoSteps,
        boolean bucketNoUpscale) {

    /** kohya's defaults: 256, 1024, step 64. */
    public static BucketOptions defaults(Size resolution, boolean enableBucket) {
        return new BucketOptions(resolution, enableBucket, 256, 1024, 64, false);
    }

    /** Which training script will run: SD1/SD2 ({@code train_network.py}) needs steps divisible by 64. */
    public enum Script {
        TRAIN_NETWORK(64),
        SDXL_TRAIN_NETWORK(32);

        public final int stepMultiple;

        Script(int stepMultiple) {
            this.stepMultiple = stepMultiple;
        }
    }
}
