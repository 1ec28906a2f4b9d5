package dev.bakehouse.train.save;

import dev.bakehouse.train.config.DatasetOptions;
import dev.bakehouse.train.config.EmaOptions;
import dev.bakehouse.train.config.PreservationOptions;
import dev.bakehouse.train.config.ModelOptions;
import dev.bakehouse.train.config.NetworkOptions;
import dev.bakehouse.train.config.OptimizerOptions;
import dev.bakehouse.train.config.SavingOptions;
import dev.bakehouse.train.config.StepsOrRatio;
import dev.bakehouse.train.config.TrainNetworkArgs;
import dev.bakehouse.train.config.TrainingOptions;
import dev.bakehouse.train.data.PythonJson;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The {@code ss_*} and {@code modelspec.*} metadata kohya's {@code train_network.py} writes into
 * every saved LoRA, key for key and spelled as Python's {@code str()} spells each value, so that
 * tools reading kohya metadata (A1111's and ComfyUI's LoRA info, civitai, the additional-networks
 * metadata editor) read ours unchanged. The dataset-derived keys come from
 * {@link dev.bakehouse.train.data.DatasetMetadata}; this class adds the run's settings and, per
 * save, {@code ss_steps}, {@code ss_epoch} and {@code ss_training_finished_at}.
 */
public final class KohyaTrainingMetadata {
    /** kohya's {@code SS_METADATA_MINIMUM_KEYS}: kept even with {@code --no_metadata}. */
    public static final List<String> MINIMUM_KEYS = List.of("ss_v2", "ss_base_model_version", "ss_network_module",
            "ss_network_dim", "ss_network_alpha", "ss_network_args");

    private final Map<String, String> run;
    private final boolean noMetadata;
    private final TrainNetworkArgs args;

    /**
     * What the run knows that the arguments do not say.
     *
     * @param sessionId         kohya's random session id (0 … 2^32), shared by every file of the run
     * @param startedAt         when training started
     * @param baseModelVersion  {@code sd_v1}, {@code sd_v2}, {@code sd_v1_v}, …
     * @param numValidationImages images held out by {@code validation_split}
     * @param optimizerName     the optimizer as kohya logs it (module and class, e.g.
     *                          {@code torch.optim.adamw.AdamW})
     * @param optimizerArgs     its keyword arguments as {@code k=v,k=v}, or empty
     * @param dataset           the dataset-derived {@code ss_*} keys
     * @param sdModel           the base checkpoint's name and hashes, or null
     * @param implementation    the software that trained, written where kohya writes its commit hash
     */
    public record RunFacts(long sessionId, Instant startedAt, String baseModelVersion, int numValidationImages,
                           String optimizerName, String optimizerArgs, Map<String, String> dataset,
                           ModelIdentity sdModel, String implementation) {
        public RunFacts {
            Objects.requireNonNull(startedAt, "startedAt");
            Objects.requireNonNull(baseModelVersion, "baseModelVersion");
            dataset = Map.copyOf(dataset);
        }
    }

    /**
     * A model file as kohya records it: the name given on the command line (the file name when it
     * is a file), its legacy {@code model_hash} (8 hex of the 64 KiB at 1 MiB) and its full SHA-256.
     */
    public record ModelIdentity(String name, String legacyHash, String sha256) {}

    public KohyaTrainingMetadata(TrainNetworkArgs args, RunFacts facts) {
        this.args = args;
        this.noMetadata = args.saving().noMetadata();
        this.run = build(args, facts);
    }

    private static Map<String, String> build(TrainNetworkArgs a, RunFacts f) {
        ModelOptions model = a.model();
        DatasetOptions data = a.dataset();
        NetworkOptions net = a.network();
        OptimizerOptions opt = a.optimizer();
        TrainingOptions train = a.training();
        SavingOptions save = a.saving();
        Map<String, String> ss = new LinkedHashMap<>();
        ss.put("ss_session_id", Long.toString(f.sessionId()));
        ss.put("ss_training_started_at", unixTime(f.startedAt()));
        ss.put("ss_output_name", PythonRepr.of(save.outputName()));
        ss.put("ss_learning_rate", PythonRepr.of(opt.learningRate()));
        ss.put("ss_text_encoder_lr", PythonRepr.of(net.textEncoderLr() == null || net.textEncoderLr().isEmpty()
                ? null : net.textEncoderLr().get(0)));
        ss.put("ss_unet_lr", PythonRepr.of(net.unetLr()));
        ss.put("ss_num_validation_images", Integer.toString(f.numValidationImages()));
        ss.put("ss_gradient_checkpointing", PythonRepr.of(train.gradientCheckpointing()));
        ss.put("ss_lr_warmup_steps", stepsOrRatio(opt.lrWarmupSteps()));
        ss.put("ss_lr_scheduler", opt.lrScheduler());
        ss.put("ss_network_module", PythonRepr.of(net.networkModule()));
        ss.put("ss_network_dim", PythonRepr.of(net.networkDim()));
        ss.put("ss_network_alpha", PythonRepr.of(net.networkAlpha()));
        ss.put("ss_network_dropout", PythonRepr.of(net.networkDropout()));
        ss.put("ss_mixed_precision", train.mixedPrecision().kohyaName());
        ss.put("ss_full_fp16", PythonRepr.of(train.fullFp16()));
        ss.put("ss_v2", PythonRepr.of(model.v2()));
        ss.put("ss_base_model_version", f.baseModelVersion());
        ss.put("ss_clip_skip", PythonRepr.of(model.clipSkip()));
        ss.put("ss_max_token_length", PythonRepr.of(model.maxTokenLength()));
        ss.put("ss_cache_latents", PythonRepr.of(data.cacheLatents()));
        ss.put("ss_seed", PythonRepr.of(train.seed()));
        ss.put("ss_lowram", PythonRepr.of(train.lowram()));
        ss.put("ss_noise_offset", PythonRepr.of(train.noiseOffset()));
        ss.put("ss_multires_noise_iterations", PythonRepr.of(train.multiresNoiseIterations()));
        ss.put("ss_multires_noise_discount", PythonRepr.of(train.multiresNoiseDiscount()));
        ss.put("ss_adaptive_noise_scale", PythonRepr.of(train.adaptiveNoiseScale()));
        ss.put("ss_zero_terminal_snr", PythonRepr.of(train.zeroTerminalSnr()));
        ss.put("ss_training_comment", PythonRepr.of(save.trainingComment()));
        ss.put("ss_sd_scripts_commit_hash", f.implementation());
        ss.put("ss_optimizer", f.optimizerName() + (f.optimizerArgs().isEmpty() ? "" : "(" + f.optimizerArgs() + ")"));
        ss.put("ss_max_grad_norm", PythonRepr.of(opt.maxGradNorm()));
        ss.put("ss_face_crop_aug_range", faceCropRange(data.faceCropAugRange()));
        ss.put("ss_prior_loss_weight", PythonRepr.of(data.priorLossWeight()));
        ss.put("ss_min_snr_gamma", PythonRepr.of(train.minSnrGamma()));
        ss.put("ss_scale_weight_norms", PythonRepr.of(net.scaleWeightNorms()));
        ss.put("ss_ip_noise_gamma", PythonRepr.of(train.ipNoiseGamma()));
        ss.put("ss_debiased_estimation", PythonRepr.of(train.debiasedEstimationLoss()));
        ss.put("ss_noise_offset_random_strength", PythonRepr.of(train.noiseOffsetRandomStrength()));
        ss.put("ss_ip_noise_gamma_random_strength", PythonRepr.of(train.ipNoiseGammaRandomStrength()));
        ss.put("ss_loss_type", train.lossType().kohyaName());
        ss.put("ss_huber_schedule", train.huberSchedule().kohyaName());
        ss.put("ss_huber_scale", PythonRepr.of(train.huberScale()));
        ss.put("ss_huber_c", PythonRepr.of(train.huberC()));
        ss.put("ss_fp8_base", PythonRepr.of(train.fp8Base()));
        ss.put("ss_fp8_base_unet", PythonRepr.of(net.fp8BaseUnet()));
        ss.put("ss_validation_seed", PythonRepr.of(data.validationSeed()));
        ss.put("ss_validation_split", PythonRepr.of(data.validationSplit()));
        ss.put("ss_max_validation_steps", PythonRepr.of(data.maxValidationSteps()));
        ss.put("ss_validate_every_n_epochs", PythonRepr.of(data.validateEveryNEpochs()));
        ss.put("ss_validate_every_n_steps", PythonRepr.of(data.validateEveryNSteps()));
        ss.put("ss_resize_interpolation", data.resizeInterpolation() == null ? "None"
                : data.resizeInterpolation().kohyaName());
        ss.putAll(f.dataset());
        ss.putAll(inLoop(a));
        if (net.networkArgs() != null && !net.networkArgs().isEmpty()) {
            ss.put("ss_network_args", PythonJson.dumps(a.networkArgs().raw()));
        }
        if (f.sdModel() != null) {
            if (f.sdModel().legacyHash() != null) {
                ss.put("ss_sd_model_hash", f.sdModel().legacyHash());
                ss.put("ss_new_sd_model_hash", f.sdModel().sha256());
            }
            ss.put("ss_sd_model_name", f.sdModel().name());
        }
        ss.putAll(modelSpec(a, f));
        return ss;
    }

    /**
     * Bakehouse's own keys, present only when their feature is on (a run without them keeps kohya's
     * key set): the EMA settings, the preservation terms and, for a masked loss, where masks came from.
     */
    private static Map<String, String> inLoop(TrainNetworkArgs a) {
        Map<String, String> m = new LinkedHashMap<>();
        EmaOptions ema = EmaOptions.of(a);
        if (ema.enabled()) {
            m.put("ss_ema_decay", PythonRepr.of(ema.decay()));
            m.put("ss_ema_update_every", Integer.toString(ema.updateEvery()));
            m.put("ss_ema_warmup", PythonRepr.of(ema.warmup()));
        }
        PreservationOptions p = PreservationOptions.of(a);
        if (p.dopEnabled()) {
            m.put("ss_dop_weight", PythonRepr.of(p.dopWeight()));
            m.put("ss_dop_class_prompt", p.dopClassPrompt());
        }
        if (p.blankEnabled()) {
            m.put("ss_blank_preservation_weight", PythonRepr.of(p.blankPreservationWeight()));
        }
        return m;
    }

    /**
     * The metadata of one saved file: the run's keys (or only {@link #MINIMUM_KEYS} with
     * {@code --no_metadata}) with this save's step, epoch and time, plus the model spec as kohya
     * adds it in every case.
     */
    public Map<String, String> forSave(long steps, int epoch, Instant finishedAt) {
        Map<String, String> out = new LinkedHashMap<>();
        if (noMetadata) {
            for (String key : MINIMUM_KEYS) {
                if (run.containsKey(key)) {
                    out.put(key, run.get(key));
                }
            }
            run.forEach((k, v) -> {
                if (k.startsWith("modelspec.")) {
                    out.put(k, v);
                }
            });
            return out;
        }
        out.putAll(run);
        out.put("ss_training_finished_at", unixTime(finishedAt));
        out.put("ss_steps", Long.toString(steps));
        out.put("ss_epoch", Integer.toString(epoch));
        return out;
    }

    public TrainNetworkArgs args() {
        return args;
    }

    /** {@code str(time.time())}: seconds since the epoch with Python's float spelling. */
    static String unixTime(Instant t) {
        return PythonRepr.ofDouble(t.getEpochSecond() + t.getNano() / 1e9);
    }

    private static String stepsOrRatio(StepsOrRatio s) {
        return s.isRatio() ? PythonRepr.ofDouble(s.ratio()) : Integer.toString(s.steps());
    }

    /** kohya turns {@code "2.0,4.0"} into a tuple of floats before it stores it. */
    private static String faceCropRange(String range) {
        if (range == null) {
            return "None";
        }
        return PythonRepr.tuple(Arrays.stream(range.split(",")).map(s -> Double.parseDouble(s.strip())).toList());
    }

    /**
     * SAI model spec 1.0.1 as sd-scripts writes it for an SD1/SD2 LoRA (its
     * {@code get_sai_model_spec}): architecture {@code stable-diffusion-v1/lora}, implementation
     * {@code diffusers}, resolution {@code WxH}, prediction type, optional timestep range and
     * encoder layer, and every {@code --metadata_*} option.
     */
    private static Map<String, String> modelSpec(TrainNetworkArgs a, RunFacts f) {
        ModelOptions model = a.model();
        SavingOptions save = a.saving();
        String arch;
        if (!model.v2()) {
            arch = "stable-diffusion-v1";
        } else {
            arch = model.vParameterization() ? "stable-diffusion-v2-768-v" : "stable-diffusion-v2-512";
        }
        Map<String, String> m = new LinkedHashMap<>();
        m.put("modelspec.architecture", arch + "/lora");
        m.put("modelspec.implementation", "diffusers");
        String title = save.metadataTitle() != null ? save.metadataTitle() : save.outputName();
        m.put("modelspec.title", title != null ? title : "LoRA@" + unixTime(f.startedAt()));
        m.put("modelspec.resolution", resolution(a.dataset().resolution(), model));
        m.put("modelspec.sai_model_spec", "1.0.1");
        putIfSet(m, "modelspec.description", save.metadataDescription());
        putIfSet(m, "modelspec.author", save.metadataAuthor());
        m.put("modelspec.date", LocalDateTime.ofInstant(f.startedAt().truncatedTo(ChronoUnit.SECONDS),
                ZoneId.systemDefault()).toString());
        m.put("modelspec.implementation_version", f.implementation());
        putIfSet(m, "modelspec.license", save.metadataLicense());
        putIfSet(m, "modelspec.tags", save.metadataTags());
        m.put("modelspec.prediction_type", model.vParameterization() ? "v" : "epsilon");
        Integer min = a.training().minTimestep();
        Integer max = a.training().maxTimestep();
        if (min != null || max != null) {
            m.put("modelspec.timestep_range", (min == null ? 0 : min) + "," + (max == null ? 1000 : max));
        }
        if (model.clipSkip() != null) {
            m.put("modelspec.encoder_layer", Integer.toString(model.clipSkip()));
        }
        putIfSet(m, "modelspec.usage_hint", save.metadataUsageHint());
        putIfSet(m, "modelspec.thumbnail", save.metadataThumbnail());
        putIfSet(m, "modelspec.merged_from", save.metadataMergedFrom());
        putIfSet(m, "modelspec.trigger_phrase", save.metadataTriggerPhrase());
        putIfSet(m, "modelspec.preprocessor", save.metadataPreprocessor());
        putIfSet(m, "modelspec.is_negative_embedding", save.metadataIsNegativeEmbedding());
        return m;
    }

    private static String resolution(String resolution, ModelOptions model) {
        if (resolution == null) {
            return model.v2() && model.vParameterization() ? "768x768" : "512x512";
        }
        String[] parts = resolution.split(",");
        int w = Integer.parseInt(parts[0].strip());
        int h = parts.length > 1 ? Integer.parseInt(parts[1].strip()) : w;
        return w + "x" + h;
    }

    private static void putIfSet(Map<String, String> m, String key, String value) {
        if (value != null) {
            m.put(key, value);
        }
    }
}
