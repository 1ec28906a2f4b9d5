package dev.bakehouse.train.data;

import java.util.List;

/** A dataset that cannot be trained on; the message lists every problem, one per line. */
public final class DatasetException extends RuntimeException {
    private final transient List<DatasetProblem> problems;

    public DatasetException(String summary, List<DatasetProblem> problems) {
        super(message(summary, problems));
        this.problems = List.copyOf(problems);
    }

    public List<DatasetProblem> problems() {
        return problems;
    }

    private static String message(String summary, List<DatasetProblem> problems) {
        StringBuilder sb = new StringBuilder(summary);
        for (DatasetProblem p : problems) {
            sb.append("\n  ").append(p);
        }
        return sb.toString();
    }
}
