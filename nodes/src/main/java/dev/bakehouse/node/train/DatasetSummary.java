package dev.bakehouse.node.train;

import dev.bakehouse.train.data.DatasetProblem;
import dev.bakehouse.train.data.DreamBoothDataset;
import dev.bakehouse.train.data.DreamBoothDataset.LoadedSubset;
import dev.bakehouse.train.data.Size;
import java.util.Map;

/** LoadDataset's summary: what a training run will see in a dataset folder, for people. */
final class DatasetSummary {
    private DatasetSummary() {}

    static String of(String name, DreamBoothDataset dataset, String resolution, boolean enableBucket) {
        StringBuilder b = new StringBuilder();
        int images = 0;
        int captions = 0;
        for (LoadedSubset s : dataset.subsets()) {
            images += s.imgCount();
            captions += s.imgCount() - missingCaptions(dataset, s);
        }
        b.append("dataset ").append(name).append(": ").append(images).append(" images in ")
                .append(dataset.subsets().size()).append(" folder(s), ").append(captions).append(" with a caption file; ")
                .append(dataset.numTrainImages()).append(" training images with repeats");
        if (dataset.numRegImages() > 0) {
            b.append(", ").append(dataset.numRegImages()).append(" regularisation images");
        }
        b.append('\n');
        for (LoadedSubset s : dataset.subsets()) {
            b.append("  ").append(s.subset().folder().imageDir().getFileName()).append(": ").append(s.imgCount())
                    .append(" images x ").append(s.subset().folder().numRepeats()).append(" repeats")
                    .append(s.subset().folder().isReg() ? " (regularisation)" : "")
                    .append(", class tokens \"").append(s.subset().folder().classTokens()).append("\"\n");
        }
        b.append("buckets at resolution ").append(resolution).append(enableBucket ? " (bucketing on)" : " (bucketing off)")
                .append(':');
        for (Map.Entry<Size, Integer> bucket : dataset.bucketCounts().entrySet()) {
            b.append(' ').append(bucket.getKey().width()).append('x').append(bucket.getKey().height()).append(": ")
                    .append(bucket.getValue()).append(';');
        }
        b.append('\n');
        if (dataset.problems().isEmpty()) {
            b.append("problems: none\n");
        } else {
            b.append("problems (").append(dataset.problems().size()).append("):\n");
            for (DatasetProblem p : dataset.problems()) {
                b.append("  ").append(p.kind().blocking ? "[left out] " : "").append(p).append('\n');
            }
        }
        for (String w : dataset.warnings()) {
            b.append("warning: ").append(w).append('\n');
        }
        return b.toString().stripTrailing();
    }

    private static int missingCaptions(DreamBoothDataset dataset, LoadedSubset subset) {
        return (int) dataset.problems().stream()
                .filter(p -> p.kind() == DatasetProblem.Kind.MISSING_CAPTION)
                .filter(p -> p.file().getParent() != null && p.file().getParent().equals(subset.subset().folder().imageDir()))
                .count();
    }
}
