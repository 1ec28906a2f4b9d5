package dev.bakehouse.train.data;

import java.nio.file.Path;

/** One thing wrong with one file or folder of a dataset. */
public record DatasetProblem(Path file, Kind kind, String detail) {

    /** What is wrong; {@link #blocking} kinds make an image unusable. */
    public enum Kind {
        UNREADABLE_IMAGE(true),
        UNUSABLE_BUCKET(true),
        BAD_CAPTION_FILE(true),
        SMALLER_THAN_SMALLEST_BUCKET(false),
        MISSING_CAPTION(false),
        EMPTY_FOLDER(false);

        public final boolean blocking;

        Kind(boolean blocking) {
            this.blocking = blocking;
        }
    }

    @Override
    public String toString() {
        return file + ": " + detail;
    }
}
