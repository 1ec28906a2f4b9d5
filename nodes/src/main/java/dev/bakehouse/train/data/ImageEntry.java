package dev.bakehouse.train.data;

import java.nio.file.Path;

/**
 * One registered image (kohya's {@code ImageInfo}): its subset, final repeat count (reg images
 * after balancing), raw caption, caption file (null when the class tokens were used), size and
 * bucket.
 */
public record ImageEntry(Path path, int subsetIndex, boolean isReg, int numRepeats, String caption, Path captionFile,
        Size size, BucketAssignment bucket) {}
