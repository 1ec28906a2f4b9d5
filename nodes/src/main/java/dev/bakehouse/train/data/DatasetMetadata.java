package dev.bakehouse.train.data;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The dataset-derived {@code ss_*} metadata of a LoRA trained from {@code --train_data_dir}
 * ({@code train_network.py}), each value the exact string kohya stores: Python {@code str()} for
 * plain values, Python {@code json.dumps} for the JSON-valued keys.
 */
public final class DatasetMetadata {
    private DatasetMetadata() {}

    /**
     * @param captions the command-line caption options ({@code shuffle_caption}, {@code keep_tokens},
     *     dropout rates)
     * @param augmentation the command-line {@code color_aug}/{@code flip_aug}/{@code random_crop}
     */
    public static Map<String, String> trainDataDirForm(DreamBoothDataset d, TrainingPlan plan, CaptionOptions captions,
            Augmentation augmentation) {
        Map<String, String> ss = new LinkedHashMap<>();
        ss.put("ss_num_train_images", Integer.toString(d.numTrainImages()));
        ss.put("ss_num_reg_images", Integer.toString(d.numRegImages()));
        ss.put("ss_num_batches_per_epoch", Integer.toString(plan.batchesPerEpoch()));
        ss.put("ss_num_epochs", Integer.toString(plan.numTrainEpochs()));
        ss.put("ss_gradient_accumulation_steps", Integer.toString(plan.gradientAccumulationSteps()));
        ss.put("ss_max_train_steps", Integer.toString(plan.maxTrainSteps()));
        ss.put("ss_caption_dropout_rate", PythonJson.floatRepr(captions.captionDropoutRate()));
        ss.put("ss_caption_dropout_every_n_epochs", Integer.toString(captions.captionDropoutEveryNEpochs()));
        ss.put("ss_caption_tag_dropout_rate", PythonJson.floatRepr(captions.captionTagDropoutRate()));
        ss.put("ss_batch_size_per_device", Integer.toString(plan.trainBatchSize()));
        ss.put("ss_total_batch_size", Integer.toString(plan.totalBatchSize()));
        BucketResolutions b = d.buckets();
        boolean bucketed = b.mode() != BucketResolutions.Mode.SINGLE;
        ss.put("ss_resolution", b.resolution().pythonTuple());
        ss.put("ss_color_aug", pyBool(augmentation.colorAug()));
        ss.put("ss_flip_aug", pyBool(augmentation.flipAug()));
        ss.put("ss_random_crop", pyBool(augmentation.randomCrop()));
        ss.put("ss_shuffle_caption", pyBool(captions.shuffleCaption()));
        ss.put("ss_enable_bucket", pyBool(bucketed));
        ss.put("ss_bucket_no_upscale", pyBool(b.mode() == BucketResolutions.Mode.NO_UPSCALE));
        ss.put("ss_min_bucket_reso", bucketed ? Integer.toString(b.minBucketReso()) : "None");
        ss.put("ss_max_bucket_reso", bucketed ? Integer.toString(b.maxBucketReso()) : "None");
        ss.put("ss_keep_tokens", Integer.toString(captions.keepTokens()));
        Map<String, Object> dirs = new LinkedHashMap<>();
        Map<String, Object> regDirs = new LinkedHashMap<>();
        for (DreamBoothDataset.LoadedSubset s : d.subsets()) {
            Map<String, Object> info = new LinkedHashMap<>();
            info.put("n_repeats", s.subset().folder().numRepeats());
            info.put("img_count", s.imgCount());
            (s.subset().folder().isReg() ? regDirs : dirs).put(s.subset().folder().folderName(), info);
        }
        ss.put("ss_dataset_dirs", PythonJson.dumps(dirs));
        ss.put("ss_reg_dataset_dirs", PythonJson.dumps(regDirs));
        ss.put("ss_tag_frequency", PythonJson.dumps(d.tagFrequency()));
        ss.put("ss_bucket_info", PythonJson.dumps(bucketed ? bucketInfo(d) : null));
        return ss;
    }

    /** {@code {"buckets": {id: {"resolution": [w, h], "count": n}}, "mean_img_ar_error": x}}. */
    static Map<String, Object> bucketInfo(DreamBoothDataset d) {
        Map<String, Object> buckets = new LinkedHashMap<>();
        int id = 0;
        for (Map.Entry<Size, Integer> e : d.bucketCounts().entrySet()) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("resolution", e.getKey());
            one.put("count", e.getValue());
            buckets.put(Integer.toString(id++), one);
        }
        List<Double> errors = new ArrayList<>();
        d.registered().forEach(r -> errors.add(Math.abs(r.bucket().arError())));
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("buckets", buckets);
        info.put("mean_img_ar_error", meanArError(errors));
        return info;
    }

    /** numpy's mean of the errors; the int 0 when there are none (kohya avoids NaN so). */
    static Object meanArError(List<Double> absErrors) {
        if (absErrors.isEmpty()) {
            return 0;
        }
        return NumpyMean.mean(absErrors.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /**
     * The {@code --dataset_config} form's JSON-valued keys: {@code ss_datasets} (one object per
     * dataset, its subsets inside), {@code ss_tag_frequency} (a folder used by several datasets
     * keeps its first entry) and {@code ss_dataset_dirs}. That form has no {@code ss_bucket_info}
     * and no per-run bucket keys; they live inside {@code ss_datasets}.
     *
     * @param batchSizes each dataset's {@code batch_size}, in the same order
     */
    public static Map<String, String> datasetConfigForm(List<DreamBoothDataset> datasets, List<Integer> batchSizes) {
        List<Object> all = new ArrayList<>();
        Map<String, Object> tagFrequency = new LinkedHashMap<>();
        for (int i = 0; i < datasets.size(); i++) {
            DreamBoothDataset d = datasets.get(i);
            BucketResolutions b = d.buckets();
            boolean bucketed = b.mode() != BucketResolutions.Mode.SINGLE;
            Map<String, Object> ds = new LinkedHashMap<>();
            ds.put("is_dreambooth", true);
            ds.put("batch_size_per_device", batchSizes.get(i));
            ds.put("num_train_images", d.numTrainImages());
            ds.put("num_reg_images", d.numRegImages());
            ds.put("resolution", b.resolution());
            ds.put("enable_bucket", bucketed);
            ds.put("min_bucket_reso", bucketed ? b.minBucketReso() : null);
            ds.put("max_bucket_reso", bucketed ? b.maxBucketReso() : null);
            ds.put("tag_frequency", d.tagFrequency());
            ds.put("bucket_info", bucketed ? bucketInfo(d) : null);
            ds.put("resize_interpolation", null);
            List<Object> subsets = new ArrayList<>();
            for (DreamBoothDataset.LoadedSubset s : d.subsets()) {
                CaptionOptions c = s.subset().captions();
                Augmentation a = s.subset().augmentation();
                Map<String, Object> sm = new LinkedHashMap<>();
                sm.put("img_count", s.imgCount());
                sm.put("num_repeats", s.subset().folder().numRepeats());
                sm.put("color_aug", a.colorAug());
                sm.put("flip_aug", a.flipAug());
                sm.put("random_crop", a.randomCrop());
                sm.put("shuffle_caption", c.shuffleCaption());
                sm.put("keep_tokens", c.keepTokens());
                sm.put("keep_tokens_separator", c.keepTokensSeparator());
                sm.put("secondary_separator", c.secondarySeparator());
                sm.put("enable_wildcard", c.enableWildcard());
                sm.put("caption_prefix", c.captionPrefix());
                sm.put("caption_suffix", c.captionSuffix());
                sm.put("resize_interpolation", null);
                sm.put("image_dir", s.subset().folder().folderName());
                sm.put("class_tokens", s.subset().folder().classTokens());
                sm.put("is_reg", s.subset().folder().isReg());
                subsets.add(sm);
            }
            ds.put("subsets", subsets);
            all.add(ds);
            d.tagFrequency().forEach(tagFrequency::putIfAbsent);
        }
        Map<String, String> ss = new LinkedHashMap<>();
        ss.put("ss_datasets", PythonJson.dumps(all));
        ss.put("ss_tag_frequency", PythonJson.dumps(tagFrequency));
        List<List<DreamBoothDataset.LoadedSubset>> subsets = new ArrayList<>();
        datasets.forEach(d -> subsets.add(d.subsets()));
        ss.put("ss_dataset_dirs", datasetConfigDirs(subsets));
        return ss;
    }

    /**
     * {@code ss_dataset_dirs} of the {@code --dataset_config} form: every dataset's non-reg
     * subsets merged, a repeated folder name renamed {@code name (2)}, {@code name (3)}, ...
     */
    public static String datasetConfigDirs(List<List<DreamBoothDataset.LoadedSubset>> datasets) {
        Map<String, Object> dirs = new LinkedHashMap<>();
        for (List<DreamBoothDataset.LoadedSubset> subsets : datasets) {
            for (DreamBoothDataset.LoadedSubset s : subsets) {
                if (s.subset().folder().isReg()) {
                    continue;
                }
                String key = s.subset().folder().folderName();
                int n = 1;
                while (dirs.containsKey(key)) {
                    n++;
                    key = s.subset().folder().folderName() + " (" + n + ")";
                }
                Map<String, Object> info = new LinkedHashMap<>();
                info.put("n_repeats", s.subset().folder().numRepeats());
                info.put("img_count", s.imgCount());
                dirs.put(key, info);
            }
        }
        return PythonJson.dumps(dirs);
    }

    private static String pyBool(boolean b) {
        return b ? "True" : "False";
    }
}
