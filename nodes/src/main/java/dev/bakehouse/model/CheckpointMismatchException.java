package dev.bakehouse.model;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A checkpoint does not fit the architecture it is loaded into. The message names the source and,
 * for every problem, the key with the expected and the found shape; missing keys are listed too.
 */
public final class CheckpointMismatchException extends RuntimeException {
    private final String source;
    private final List<Problem> problems;

    public CheckpointMismatchException(String source, List<Problem> problems) {
        super(message(source, problems));
        this.source = source;
        this.problems = List.copyOf(problems);
    }

    public String source() {
        return source;
    }

    public List<Problem> problems() {
        return problems;
    }

    /** One key that does not fit; {@code found} is null when the key is missing. */
    public record Problem(String key, long[] expected, long[] found) {
        public static Problem missing(String key, long[] expected) {
            return new Problem(key, expected, null);
        }

        public static Problem misShaped(String key, long[] expected, long[] found) {
            return new Problem(key, expected, found);
        }

        public boolean isMissing() {
            return found == null;
        }

        @Override
        public String toString() {
            return isMissing()
                    ? key + ": missing (expected shape " + Arrays.toString(expected) + ")"
                    : key + ": expected shape " + Arrays.toString(expected) + ", found " + Arrays.toString(found);
        }
    }

    private static String message(String source, List<Problem> problems) {
        long missing = problems.stream().filter(Problem::isMissing).count();
        String head = "checkpoint " + source + " does not fit the model: " + problems.size() + " problem(s)"
                + (missing > 0 ? ", " + missing + " missing key(s)" : "");
        return head + "\n  " + problems.stream().map(Problem::toString).collect(Collectors.joining("\n  "));
    }
}
