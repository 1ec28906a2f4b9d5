package dev.bakehouse.train.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A loaded kohya DreamBooth dataset ({@code DreamBoothDataset} + {@code make_buckets}): images
 * and captions per subset, regularisation balancing, tag frequency, bucket assignment and
 * counts. Every image is read once while loading, so a broken file is reported here, with all
 * other problems, never mid-epoch.
 */
public final class DreamBoothDataset {
    private static final String NO_UPSCALE_WARNING = "min_bucket_reso and max_bucket_reso are ignored if bucket_no_upscale";

    /** What one subset held: every image found, with its raw caption (unused reg images included). */
    public record LoadedSubset(DreamBoothSubset subset, List<Path> images, List<String> captions) {
        public int imgCount() {
            return images.size();
        }
    }

    private final List<LoadedSubset> subsets;
    private final List<ImageEntry> registered;
    private final int numTrainImages;
    private final int numRegImages;
    private final Map<String, Map<String, Integer>> tagFrequency;
    private final List<String> warnings;
    private final List<DatasetProblem> problems;
    private final BucketResolutions buckets;
    private final TreeMap<Size, Integer> bucketCounts;

    private DreamBoothDataset(Loader l) {
        this.subsets = List.copyOf(l.loaded);
        this.registered = List.copyOf(l.registered);
        this.numTrainImages = l.numTrain;
        this.numRegImages = l.numReg;
        this.tagFrequency = Collections.unmodifiableMap(l.tagFrequency);
        this.warnings = List.copyOf(l.warnings);
        this.problems = List.copyOf(l.problems);
        this.buckets = l.buckets;
        this.bucketCounts = l.counts;
    }

    /**
     * Loads the subsets (in order; duplicates of an image dir are ignored with kohya's warning).
     *
     * @throws DatasetException listing every problem when a blocking one is found and the policy
     *     is {@link BadInputPolicy#STOP}
     */
    public static DreamBoothDataset load(List<DreamBoothSubset> subsets, BucketOptions options, BucketOptions.Script script,
            ImageSizeReader sizes, BadInputPolicy policy) throws IOException {
        return load(subsets, options, script, sizes, policy, ValidationSplit.NONE, ValidationSplit.Side.TRAINING);
    }

    /**
     * Loads one side of kohya's {@code validation_split}: each non-reg subset keeps its part of the
     * split; the validation side has no reg images and counts every image once ({@code num_repeats}
     * is 1 there, as in kohya).
     */
    public static DreamBoothDataset load(List<DreamBoothSubset> subsets, BucketOptions options, BucketOptions.Script script,
            ImageSizeReader sizes, BadInputPolicy policy, ValidationSplit split, ValidationSplit.Side side)
            throws IOException {
        return load(subsets, options, script, sizes, policy, List.of(), split, side);
    }

    private static DreamBoothDataset load(List<DreamBoothSubset> subsets, BucketOptions options,
            BucketOptions.Script script, ImageSizeReader sizes, BadInputPolicy policy, List<String> earlierWarnings,
            ValidationSplit split, ValidationSplit.Side side) throws IOException {
        Loader l = new Loader(sizes, split, side);
        l.warnings.addAll(earlierWarnings);
        List<String> bucketWarnings = new ArrayList<>();
        l.buckets = BucketResolutions.prepare(options, script, bucketWarnings);
        bucketWarnings.stream().filter(w -> !w.startsWith(NO_UPSCALE_WARNING)).forEach(l.warnings::add);
        l.load(subsets);
        bucketWarnings.stream().filter(w -> w.startsWith(NO_UPSCALE_WARNING)).forEach(l.warnings::add);
        l.assignBuckets();
        boolean blocking = l.problems.stream().anyMatch(p -> p.kind().blocking);
        if (blocking && policy == BadInputPolicy.STOP) {
            throw new DatasetException("the dataset has problems (bad_input_policy STOP; SKIP leaves these images out):",
                    l.problems);
        }
        return new DreamBoothDataset(l);
    }

    /** The usual kohya form: {@code train_data_dir}/{@code reg_data_dir} with the same options for every folder. */
    public static DreamBoothDataset fromFolders(Path trainDataDir, Path regDataDir, String captionExtension,
            CaptionOptions captions, Augmentation augmentation, BucketOptions options, BucketOptions.Script script,
            ImageSizeReader sizes, BadInputPolicy policy) throws IOException {
        return fromFolders(trainDataDir, regDataDir, captionExtension, captions, augmentation, options, script, sizes,
                policy, ValidationSplit.NONE, ValidationSplit.Side.TRAINING);
    }

    /** {@link #fromFolders} loaded as one side of {@code validation_split} (see {@link #load}). */
    public static DreamBoothDataset fromFolders(Path trainDataDir, Path regDataDir, String captionExtension,
            CaptionOptions captions, Augmentation augmentation, BucketOptions options, BucketOptions.Script script,
            ImageSizeReader sizes, BadInputPolicy policy, ValidationSplit split, ValidationSplit.Side side)
            throws IOException {
        List<String> folderWarnings = new ArrayList<>();
        List<DreamBoothSubset> subsets = new ArrayList<>();
        for (SubsetFolder f : DreamBoothFolders.scan(trainDataDir, regDataDir, folderWarnings)) {
            subsets.add(new DreamBoothSubset(f, captionExtension, captions, augmentation));
        }
        return load(subsets, options, script, sizes, policy, folderWarnings, split, side);
    }

    public List<LoadedSubset> subsets() {
        return subsets;
    }

    /** Registration order: train images (subset order, sorted paths), then the reg images used. */
    public List<ImageEntry> registered() {
        return registered;
    }

    /** Train images × repeats, as kohya prints and stores ({@code ss_num_train_images}). */
    public int numTrainImages() {
        return numTrainImages;
    }

    /** Reg images × folder repeats, before balancing ({@code ss_num_reg_images}). */
    public int numRegImages() {
        return numRegImages;
    }

    /** {@code {folder: {tag: count}}} in kohya's insertion order. */
    public Map<String, Map<String, Integer>> tagFrequency() {
        return tagFrequency;
    }

    /** kohya's warnings (English), in kohya's order. */
    public List<String> warnings() {
        return warnings;
    }

    /** Everything wrong with the files; blocking ones were left out (policy SKIP). */
    public List<DatasetProblem> problems() {
        return problems;
    }

    public BucketResolutions buckets() {
        return buckets;
    }

    /** Samples per bucket (repeats included), sorted by (width, height). */
    public Map<Size, Integer> bucketCounts() {
        return Collections.unmodifiableMap(bucketCounts);
    }

    /** {@link TrainingPlan} of this dataset. */
    public TrainingPlan plan(int trainBatchSize, int gradientAccumulationSteps, Integer maxTrainEpochs, Integer maxTrainSteps) {
        return TrainingPlan.compute(new ArrayList<>(bucketCounts.values()), numTrainImages, numRegImages, trainBatchSize,
                gradientAccumulationSteps, maxTrainEpochs, maxTrainSteps);
    }

    /** The mutable state of one load, kept out of the immutable result. */
    private static final class Loader {
        final ImageSizeReader sizes;
        final ValidationSplit split;
        final ValidationSplit.Side side;
        final List<LoadedSubset> loaded = new ArrayList<>();
        final List<ImageEntry> registered = new ArrayList<>();
        final Map<String, Map<String, Integer>> tagFrequency = new LinkedHashMap<>();
        final List<String> warnings = new ArrayList<>();
        final List<DatasetProblem> problems = new ArrayList<>();
        final List<Path> captionFiles = new ArrayList<>();
        final List<Size> imageSizes = new ArrayList<>();
        BucketResolutions buckets;
        TreeMap<Size, Integer> counts = new TreeMap<>();
        int numTrain;
        int numReg;

        Loader(ImageSizeReader sizes, ValidationSplit split, ValidationSplit.Side side) {
            this.sizes = sizes;
            this.split = split;
            this.side = side;
        }

        boolean validationSide() {
            return side == ValidationSplit.Side.VALIDATION;
        }

        void load(List<DreamBoothSubset> subsets) throws IOException {
            List<Path> seen = new ArrayList<>();
            List<ImageEntry> regPending = new ArrayList<>();
            for (DreamBoothSubset subset : subsets) {
                SubsetFolder folder = subset.folder();
                if (seen.contains(folder.imageDir())) {
                    warnings.add("ignore duplicated subset with image_dir='" + folder.imageDir() + "': use the first one");
                    continue;
                }
                if (!Files.isDirectory(folder.imageDir())) {
                    warnings.add("not directory: " + folder.imageDir());
                    warnings.add("ignore subset with image_dir='" + folder.imageDir() + "': no images found");
                    problems.add(new DatasetProblem(folder.imageDir(), DatasetProblem.Kind.EMPTY_FOLDER, "not a directory"));
                    continue;
                }
                if (folder.isReg() && validationSide()) {
                    continue; // kohya validates on no reg image
                }
                int subsetIndex = loaded.size();
                List<ImageEntry> entries = loadFolder(subset, subsetIndex);
                if (entries.isEmpty()) {
                    warnings.add("ignore subset with image_dir='" + folder.imageDir() + "': no images found");
                    problems.add(new DatasetProblem(folder.imageDir(), DatasetProblem.Kind.EMPTY_FOLDER, "no images found"));
                    continue;
                }
                seen.add(folder.imageDir());
                if (folder.isReg()) {
                    numReg += repeats(folder) * entries.size();
                    regPending.addAll(entries);
                } else {
                    numTrain += repeats(folder) * entries.size();
                    registered.addAll(entries);
                }
            }
            if (validationSide()) {
                return; // kohya's reg balancing and its warnings belong to the training side
            }
            if (numTrain < numReg) {
                warnings.add("some of reg images are not used");
            }
            if (numReg == 0) {
                warnings.add("no regularization images");
            } else {
                registered.addAll(RegBalance.balance(regPending, numTrain));
            }
        }

        /** One folder: images, captions and sizes; problem images are reported and left out. */
        private List<ImageEntry> loadFolder(DreamBoothSubset subset, int subsetIndex) throws IOException {
            SubsetFolder folder = subset.folder();
            List<Path> images = new ArrayList<>();
            List<String> captions = new ArrayList<>();
            List<ImageEntry> entries = new ArrayList<>();
            int missing = 0;
            for (Path image : split.part(CaptionFiles.globImages(folder.imageDir()), folder.isReg(), side)) {
                CaptionFiles.Found found;
                Size size;
                try {
                    found = CaptionFiles.read(image, subset.captionExtension(), subset.captions().enableWildcard());
                } catch (IOException e) {
                    problems.add(new DatasetProblem(image, DatasetProblem.Kind.BAD_CAPTION_FILE, e.getMessage()));
                    continue;
                }
                try {
                    size = sizes.read(image);
                } catch (IOException | RuntimeException e) {
                    problems.add(new DatasetProblem(image, DatasetProblem.Kind.UNREADABLE_IMAGE,
                            "cannot read the image: " + e.getMessage()));
                    continue;
                }
                String caption;
                if (found != null) {
                    caption = found.caption();
                } else {
                    missing++;
                    if (folder.classTokens() == null) {
                        warnings.add("neither caption file nor class tokens are found. use empty caption for " + image);
                    }
                    caption = folder.classTokens() == null ? "" : folder.classTokens();
                    problems.add(new DatasetProblem(image, DatasetProblem.Kind.MISSING_CAPTION, "no "
                            + subset.captionExtension() + " caption file; using "
                            + (folder.classTokens() == null ? "an empty caption" : "the class tokens \"" + caption + "\"")));
                }
                images.add(image);
                captions.add(caption);
                entries.add(new ImageEntry(image, subsetIndex, folder.isReg(), repeats(folder), caption,
                        found == null ? null : found.file(), size, null));
            }
            TagFrequency.add(tagFrequency, folder.folderName(), captions);
            if (missing > 0) {
                warnings.add("No caption file found for " + missing + " images. Training will continue without captions"
                        + " for these images. If class token exists, it will be used.");
            }
            if (!entries.isEmpty()) {
                loaded.add(new LoadedSubset(subset, List.copyOf(images), List.copyOf(captions)));
            }
            return entries;
        }

        /** kohya's {@code num_repeats = subset.num_repeats if self.is_training_dataset else 1}. */
        int repeats(SubsetFolder folder) {
            return validationSide() ? 1 : folder.numRepeats();
        }

        /** {@code make_buckets}: every registered image gets its bucket; counts include repeats. */
        void assignBuckets() {
            List<ImageEntry> assigned = new ArrayList<>();
            for (ImageEntry e : registered) {
                BucketAssignment a;
                try {
                    a = buckets.select(e.size());
                } catch (ArithmeticException zero) {
                    problems.add(new DatasetProblem(e.path(), DatasetProblem.Kind.UNUSABLE_BUCKET, "image " + e.size()
                            + " gets a bucket with a zero side under bucket_no_upscale (step "
                            + buckets.bucketResoSteps() + ")"));
                    continue;
                }
                if (!a.usable()) {
                    problems.add(new DatasetProblem(e.path(), DatasetProblem.Kind.UNUSABLE_BUCKET, "image " + e.size()
                            + " gets bucket " + a.bucket() + " with a zero side under bucket_no_upscale"));
                    continue;
                }
                int smallest = buckets.mode() == BucketResolutions.Mode.PREDEFINED ? buckets.minBucketReso() : 0;
                if (e.size().width() < smallest && e.size().height() < smallest) {
                    problems.add(new DatasetProblem(e.path(), DatasetProblem.Kind.SMALLER_THAN_SMALLEST_BUCKET, "image "
                            + e.size() + " is smaller than the smallest bucket side (min_bucket_reso " + smallest
                            + "); it is upscaled to " + a.resized()));
                }
                assigned.add(new ImageEntry(e.path(), e.subsetIndex(), e.isReg(), e.numRepeats(), e.caption(),
                        e.captionFile(), e.size(), a));
                counts.merge(a.bucket(), e.numRepeats(), Integer::sum);
            }
            registered.clear();
            registered.addAll(assigned);
        }
    }
}
