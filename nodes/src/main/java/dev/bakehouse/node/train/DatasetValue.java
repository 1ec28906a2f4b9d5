package dev.bakehouse.node.train;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The DATASET value: a kohya DreamBooth folder ({@code N_name} sub-folders of images and captions)
 * with the dataset-level options kohya's {@code dataset_config} also keeps per dataset, and a
 * fingerprint of its files, so a training run knows when its images changed.
 *
 * @param name             the folder's name under {@code datasets/}
 * @param folder           kohya's {@code train_data_dir}
 * @param captionExtension kohya's {@code caption_extension}
 * @param resolution       kohya's {@code resolution}: {@code 512} or {@code 512,768}
 * @param enableBucket     kohya's {@code enable_bucket}
 * @param fingerprint      the folder's files (names, sizes, mtimes) as one hash
 * @param summary          what LoadDataset found, for people
 */
public record DatasetValue(String name, Path folder, String captionExtension, String resolution, boolean enableBucket,
                           String fingerprint, String summary) {
    public DatasetValue {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(folder, "folder");
        Objects.requireNonNull(captionExtension, "captionExtension");
        Objects.requireNonNull(resolution, "resolution");
        Objects.requireNonNull(fingerprint, "fingerprint");
    }

    /** The kohya options this dataset sets, by kohya name, as {@code KohyaArgParser} converts them. */
    public Map<String, Object> kohyaOptions() {
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("train_data_dir", folder.toString());
        options.put("caption_extension", captionExtension);
        options.put("resolution", resolution);
        options.put("enable_bucket", enableBucket);
        return options;
    }

    @Override
    public String toString() {
        return name;
    }
}
