package dev.bakehouse.train.run;

import dev.bakehouse.lora.network.NetworkOptions;
import dev.bakehouse.train.config.DatasetOptions;
import dev.bakehouse.train.config.TrainNetworkArgs;
import dev.bakehouse.train.config.TrainingOptions;
import dev.bakehouse.train.data.Augmentation;
import dev.bakehouse.train.data.BadInputPolicy;
import dev.bakehouse.train.data.BucketOptions;
import dev.bakehouse.train.data.CaptionOptions;
import dev.bakehouse.train.data.DatasetConfigToml;
import dev.bakehouse.train.data.DatasetProblem;
import dev.bakehouse.train.data.DreamBoothDataset;
import dev.bakehouse.train.data.ImageSizeReader;
import dev.bakehouse.train.data.LossMasks;
import dev.bakehouse.train.data.Size;
import dev.bakehouse.train.data.TrainingPlan;
import dev.bakehouse.train.data.ValidationSplit;
import dev.bakehouse.train.loss.HuberSchedule;
import dev.bakehouse.train.loss.LossOptions;
import dev.bakehouse.train.loss.LossType;
import dev.bakehouse.train.noise.DdpmSchedule;
import dev.bakehouse.train.noise.NoiseOptions;
import dev.bakehouse.train.text.TextOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * A {@code train_network.py} command line resolved into the parts the trainer runs with: the
 * dataset (read and checked before anything trains), its step plan, and the typed options of the
 * network, the noise, the loss and the text conditioning. Every option error surfaces here, before
 * the first step, naming the option.
 *
 * @param dataset           the training side: with {@code validation_split}, the held-out images are not in it
 * @param validationDataset the held-out side of {@code validation_split}, or null when nothing is held out
 * @param validationSplit   {@code validation_split} with its seed ({@code validation_seed}, else {@code seed}),
 *                          which also seeds the validation's draws
 */
public record TrainingSetup(TrainNetworkArgs args, DreamBoothDataset dataset, int trainBatchSize, float priorLossWeight,
                            TrainingPlan plan, NetworkOptions network, NoiseOptions noise, LossOptions loss,
                            TextOptions text, long seed, DreamBoothDataset validationDataset,
                            ValidationSplit validationSplit) {

    /** kohya's default seed when none is given is random; Bakehouse picks one and prints it. */
    public static TrainingSetup resolve(TrainNetworkArgs args, BadInputPolicy policy, long fallbackSeed) {
        TrainingOptions t = args.training();
        Validation.Schedule.of(args.dataset()); // its option errors before the dataset is read
        long seed = t.seed() != null ? t.seed() : fallbackSeed;
        DreamBoothDataset dataset;
        DreamBoothDataset validation = null;
        ValidationSplit split;
        int batchSize = args.dataset().trainBatchSize();
        float priorLossWeight = (float) args.dataset().priorLossWeight();
        if (args.dataset().datasetConfig() != null) {
            DatasetConfigToml.DatasetSpec spec = datasetConfig(args);
            split = spec.split(seed);
            dataset = load(() -> spec.load(BucketOptions.Script.TRAIN_NETWORK, ImageSizeReader.decoding(), policy,
                    split, ValidationSplit.Side.TRAINING));
            if (split.active()) {
                validation = load(() -> spec.load(BucketOptions.Script.TRAIN_NETWORK, ImageSizeReader.decoding(), policy,
                        split, ValidationSplit.Side.VALIDATION));
            }
            batchSize = spec.batchSize();
            priorLossWeight = spec.priorLossWeight();
        } else {
            split = validationSplit(args.dataset(), seed);
            dataset = loadFolders(args.dataset(), policy, split, ValidationSplit.Side.TRAINING);
            if (split.active()) {
                validation = loadFolders(args.dataset(), policy, split, ValidationSplit.Side.VALIDATION);
            }
        }
        TrainingPlan plan;
        try {
            plan = dataset.plan(batchSize, t.gradientAccumulationSteps(), t.maxTrainEpochs(),
                    args.isSet("max_train_steps") ? t.maxTrainSteps() : null);
        } catch (IllegalArgumentException e) {
            if (dataset.warnings().isEmpty() || dataset.numTrainImages() > 0) {
                throw e;
            }
            // "No data found" alone does not say why: the folders skipped (no N_ prefix, empty) do
            throw new IllegalArgumentException(e.getMessage() + "; " + String.join("; ", dataset.warnings()), e);
        }
        return new TrainingSetup(args, dataset, batchSize, priorLossWeight, plan, network(args), noise(t), loss(args),
                text(args), seed, validation == null || validation.registered().isEmpty() ? null : validation, split);
    }

    /** {@code --validation_split}, shuffled by {@code --validation_seed} or else the run's seed. */
    static ValidationSplit validationSplit(DatasetOptions d, long seed) {
        return new ValidationSplit(d.validationSplit(), d.validationSeed() != null ? d.validationSeed() : seed);
    }

    /**
     * The dataset of {@code train_data_dir} (and {@code reg_data_dir}) with these options: read and
     * checked, every problem reported at once (or skipped, as the policy says).
     */
    public static DreamBoothDataset loadFolders(DatasetOptions d, BadInputPolicy policy) {
        return loadFolders(d, policy, ValidationSplit.NONE, ValidationSplit.Side.TRAINING);
    }

    /** One side of {@code validation_split} of {@link #loadFolders(DatasetOptions, BadInputPolicy)}. */
    static DreamBoothDataset loadFolders(DatasetOptions d, BadInputPolicy policy, ValidationSplit split,
                                         ValidationSplit.Side side) {
        if (d.trainDataDir() == null) {
            throw new IllegalArgumentException("--train_data_dir (or --dataset_config) is required");
        }
        Path train = Path.of(d.trainDataDir());
        if (!Files.isDirectory(train)) {
            throw new IllegalArgumentException("--train_data_dir " + train + " is not a folder");
        }
        Path reg = d.regDataDir() == null ? null : Path.of(d.regDataDir());
        if (reg != null && !Files.isDirectory(reg)) {
            throw new IllegalArgumentException("--reg_data_dir " + reg + " is not a folder");
        }
        Augmentation aug = augmentation(d);
        if (d.cacheLatents() || d.cacheLatentsToDisk()) {
            aug.checkCacheable("cache_latents: ");
        }
        return load(() -> DreamBoothDataset.fromFolders(train, reg, captionExtension(d), captions(d), aug,
                buckets(d), BucketOptions.Script.TRAIN_NETWORK, ImageSizeReader.decoding(), policy, split, side));
    }

    @FunctionalInterface
    private interface Loader {
        DreamBoothDataset load() throws IOException;
    }

    private static DreamBoothDataset load(Loader loader) {
        try {
            return loader.load();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the dataset: " + e.getMessage(), e);
        }
    }

    private static DatasetConfigToml.DatasetSpec datasetConfig(TrainNetworkArgs args) {
        Path file = Path.of(args.dataset().datasetConfig());
        String toml;
        try {
            toml = Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("--dataset_config " + file + ": " + e.getMessage(), e);
        }
        DatasetOptions d = args.dataset();
        Map<String, Object> defaults = new LinkedHashMap<>();
        putIfSet(defaults, "resolution", d.resolution());
        putIfSet(defaults, "caption_extension", captionExtension(d));
        defaults.put("train_batch_size", d.trainBatchSize());
        defaults.put("enable_bucket", d.enableBucket());
        defaults.put("min_bucket_reso", d.minBucketReso());
        defaults.put("max_bucket_reso", d.maxBucketReso());
        defaults.put("bucket_reso_steps", d.bucketResoSteps());
        defaults.put("bucket_no_upscale", d.bucketNoUpscale());
        defaults.put("shuffle_caption", d.shuffleCaption());
        defaults.put("keep_tokens", d.keepTokens());
        defaults.put("color_aug", d.colorAug());
        defaults.put("flip_aug", d.flipAug());
        defaults.put("random_crop", d.randomCrop());
        defaults.put("caption_dropout_rate", d.captionDropoutRate());
        defaults.put("caption_tag_dropout_rate", d.captionTagDropoutRate());
        defaults.put("prior_loss_weight", d.priorLossWeight());
        defaults.put("validation_split", d.validationSplit());
        putIfSet(defaults, "validation_seed", d.validationSeed());
        List<DatasetConfigToml.DatasetSpec> specs = DatasetConfigToml.parse(toml, file.toString(), defaults);
        if (specs.size() != 1) {
            throw new IllegalArgumentException("--dataset_config " + file + ": " + specs.size()
                    + " [[datasets]] tables; Bakehouse trains from one dataset (put every folder as a [[datasets.subsets]] of it)");
        }
        return specs.get(0);
    }

    private static void putIfSet(Map<String, Object> m, String key, Object value) {
        if (value != null) {
            m.put(key, value);
        }
    }

    /** kohya's {@code caption_extention} (sic) is the old spelling and wins when given. */
    static String captionExtension(DatasetOptions d) {
        return d.captionExtention() != null ? d.captionExtention() : d.captionExtension();
    }

    static CaptionOptions captions(DatasetOptions d) {
        return new CaptionOptions(d.shuffleCaption(), d.captionSeparator(), d.keepTokens(),
                d.keepTokensSeparator() == null ? "" : d.keepTokensSeparator(), d.secondarySeparator(),
                d.enableWildcard(), d.captionPrefix(), d.captionSuffix(), d.captionDropoutRate(),
                d.captionDropoutEveryNEpochs(), d.captionTagDropoutRate(), d.tokenWarmupMin(), d.tokenWarmupStep());
    }

    static Augmentation augmentation(DatasetOptions d) {
        double[] face = null;
        if (d.faceCropAugRange() != null) {
            face = Arrays.stream(d.faceCropAugRange().split(",")).mapToDouble(s -> Double.parseDouble(s.strip())).toArray();
        }
        return new Augmentation(d.flipAug(), d.colorAug(), d.randomCrop(), face);
    }

    static BucketOptions buckets(DatasetOptions d) {
        if (d.resolution() == null) {
            throw new IllegalArgumentException("--resolution is required (e.g. 512 or 512,768)");
        }
        return new BucketOptions(Size.parseResolution(d.resolution()), d.enableBucket(), d.minBucketReso(),
                d.maxBucketReso(), d.bucketResoSteps(), d.bucketNoUpscale());
    }

    /**
     * kohya's masked loss: the mask folder ({@code --masked_loss --conditioning_data_dir}, which
     * wins as kohya's conditioning images do), else the alpha channel ({@code --alpha_mask}, which
     * masks with or without {@code --masked_loss}, as in kohya); null without a masked loss.
     */
    static LossMasks lossMasks(DatasetOptions d) {
        if (d.maskedLoss() && d.conditioningDataDir() != null) {
            return LossMasks.maskFolder(Path.of(d.conditioningDataDir()));
        }
        return d.alphaMask() ? LossMasks.alphaChannel() : null;
    }

    /** The network's options from kohya's network flags and {@code network_args}. */
    static NetworkOptions network(TrainNetworkArgs args) {
        var n = args.network();
        NetworkOptions fromArgs = args.networkArgs().network(); // --network_args, read once at parse time
        return fromArgs.withDim(n.networkDim() == null ? 4 : n.networkDim(), (float) n.networkAlpha())
                .withDropout(n.networkDropout() == null ? null : n.networkDropout().floatValue(), fromArgs.rankDropout(),
                        fromArgs.moduleDropout())
                .withParts(n.networkTrainUnetOnly(), n.networkTrainTextEncoderOnly())
                .withDimFromWeights(n.dimFromWeights());
    }

    static NoiseOptions noise(TrainingOptions t) {
        NoiseOptions o = NoiseOptions.defaults();
        if (t.noiseOffset() != null) {
            o = o.withNoiseOffset(t.noiseOffset(), t.adaptiveNoiseScale() == null ? OptionalDouble.empty()
                    : OptionalDouble.of(t.adaptiveNoiseScale()), t.noiseOffsetRandomStrength());
        } else if (t.adaptiveNoiseScale() != null) {
            throw new IllegalArgumentException("--adaptive_noise_scale requires --noise_offset");
        }
        if (t.multiresNoiseIterations() != null) {
            o = o.withMultires(t.multiresNoiseIterations(), t.multiresNoiseDiscount());
        }
        if (t.ipNoiseGamma() != null) {
            o = o.withIpNoiseGamma(t.ipNoiseGamma(), t.ipNoiseGammaRandomStrength());
        }
        return o.withTimesteps(t.minTimestep() == null ? OptionalInt.empty() : OptionalInt.of(t.minTimestep()),
                t.maxTimestep() == null ? OptionalInt.empty() : OptionalInt.of(t.maxTimestep()));
    }

    static LossOptions loss(TrainNetworkArgs args) {
        TrainingOptions t = args.training();
        LossOptions o = LossOptions.defaults()
                .withLoss(LossType.fromKohya(t.lossType().kohyaName()), HuberSchedule.fromKohya(t.huberSchedule().kohyaName()),
                        t.huberC(), t.huberScale())
                .withVParameterization(args.model().vParameterization(), t.scaleVPredLossLikeNoisePred())
                .withDebiasedEstimationLoss(t.debiasedEstimationLoss());
        if (t.minSnrGamma() != null) {
            o = o.withMinSnrGamma(t.minSnrGamma());
        }
        if (t.vPredLikeLoss() != null) {
            o = o.withVPredLikeLoss(t.vPredLikeLoss());
        }
        return o;
    }

    static TextOptions text(TrainNetworkArgs args) {
        Integer max = args.model().maxTokenLength();
        Integer skip = args.model().clipSkip();
        return new TextOptions(max == null ? OptionalInt.empty() : OptionalInt.of(max),
                skip == null ? OptionalInt.empty() : OptionalInt.of(skip));
    }

    /**
     * The dataset report to print before training: kohya's warnings, then one line per problem
     * file (missing caption, image below the smallest bucket, and with bad_input_policy SKIP each
     * image left out), naming the file.
     */
    public List<String> datasetReport() {
        List<String> lines = new ArrayList<>(dataset.warnings());
        for (DatasetProblem p : dataset.problems()) {
            lines.add(p.file() + ": " + p.detail() + (p.kind().blocking ? " (left out)" : ""));
        }
        return lines;
    }

    /** The DDPM training schedule: SD's, rescaled with {@code --zero_terminal_snr}. */
    public DdpmSchedule noiseSchedule() {
        return args.training().zeroTerminalSnr() ? DdpmSchedule.sd15().withZeroTerminalSnr() : DdpmSchedule.sd15();
    }

    /** Whether the text encoder gets LoRA modules and trains. */
    public boolean trainsTextEncoder() {
        return !network.trainUnetOnly();
    }

    /** Whether the UNet gets LoRA modules and trains. */
    public boolean trainsUnet() {
        return !network.trainTextEncoderOnly();
    }
}
