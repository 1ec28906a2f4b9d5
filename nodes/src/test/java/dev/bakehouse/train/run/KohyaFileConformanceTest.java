package dev.bakehouse.train.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bakehouse.lora.LoraApplication;
import dev.bakehouse.lora.LoraPatcher;
import dev.bakehouse.lora.format.LoraReader;
import dev.bakehouse.model.WeightPatcher;
import dev.bakehouse.tensor.DType;
import dev.bakehouse.tensor.SafetensorsFile;
import dev.bakehouse.testing.Fixtures;
import dev.bakehouse.testing.SharedResources;
import dev.bakehouse.train.data.BadInputPolicy;
import dev.bakehouse.train.save.ModelFileHashes;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * "A LoRA we train matches, key for key and in metadata names, what kohya writes": a C3Lier run
 * (network_dim 4 / alpha 2, conv_dim 4 / conv_alpha 2, text encoder and UNet) against the fixture
 * LoRA kohya's networks.lora wrote for the same model and options, and the metadata against the
 * {@code ss_*} list of spec/lora-ecosystem.md §b3.
 */
class KohyaFileConformanceTest {
    /** Every ss_* key of §b3 (train_network.py). */
    private static final Set<String> KOHYA_SS_KEYS = Set.of("ss_adaptive_noise_scale", "ss_base_model_version",
            "ss_batch_size_per_device", "ss_bucket_info", "ss_bucket_no_upscale", "ss_cache_latents",
            "ss_caption_dropout_every_n_epochs", "ss_caption_dropout_rate", "ss_caption_tag_dropout_rate", "ss_clip_skip",
            "ss_color_aug", "ss_dataset_dirs", "ss_datasets", "ss_debiased_estimation", "ss_enable_bucket", "ss_epoch",
            "ss_face_crop_aug_range", "ss_flip_aug", "ss_fp8_base", "ss_fp8_base_unet", "ss_full_fp16",
            "ss_gradient_accumulation_steps", "ss_gradient_checkpointing", "ss_huber_c", "ss_huber_scale", "ss_huber_schedule",
            "ss_ip_noise_gamma", "ss_ip_noise_gamma_random_strength", "ss_keep_tokens", "ss_learning_rate", "ss_loss_type",
            "ss_lowram", "ss_lr_scheduler", "ss_lr_warmup_steps", "ss_max_bucket_reso", "ss_max_grad_norm",
            "ss_max_token_length", "ss_max_train_steps", "ss_max_validation_steps", "ss_min_bucket_reso", "ss_min_snr_gamma",
            "ss_mixed_precision", "ss_multires_noise_discount", "ss_multires_noise_iterations", "ss_network_alpha",
            "ss_network_args", "ss_network_dim", "ss_network_dropout", "ss_network_module", "ss_new_sd_model_hash",
            "ss_new_vae_hash", "ss_noise_offset", "ss_noise_offset_random_strength", "ss_num_batches_per_epoch",
            "ss_num_epochs", "ss_num_reg_images", "ss_num_train_images", "ss_num_validation_images", "ss_optimizer",
            "ss_output_name", "ss_prior_loss_weight", "ss_random_crop", "ss_reg_dataset_dirs", "ss_resize_interpolation",
            "ss_resolution", "ss_scale_weight_norms", "ss_sd_model_hash", "ss_sd_model_name", "ss_sd_scripts_commit_hash",
            "ss_seed", "ss_session_id", "ss_shuffle_caption", "ss_steps", "ss_tag_frequency", "ss_text_encoder_lr",
            "ss_total_batch_size", "ss_training_comment", "ss_training_finished_at", "ss_training_started_at", "ss_unet_lr",
            "ss_v2", "ss_vae_hash", "ss_vae_name", "ss_validate_every_n_epochs", "ss_validate_every_n_steps",
            "ss_validation_seed", "ss_validation_split", "ss_zero_terminal_snr");
    /**
     * Absent from a train_data_dir run by kohya's own rules: ss_datasets is the dataset_config form
     * (train_data_dir writes ss_dataset_dirs, ss_tag_frequency, ss_bucket_info at the top level
     * instead); the three VAE keys are written only with --vae.
     */
    private static final Set<String> ABSENT_FOR_TRAIN_DATA_DIR = Set.of("ss_datasets", "ss_vae_name", "ss_vae_hash",
            "ss_new_vae_hash");

    @TempDir
    static Path shared;
    private static TinyTrainingRun tiny;
    private static Path trained;

    @BeforeAll
    static void train() throws Exception {
        tiny = new TinyTrainingRun();
        Path data = TinyTrainingRun.dataset(shared.resolve("train"), "2_kiki", 2);
        var args = TinyTrainingRun.args(data, shared.resolve("out"), "--max_train_steps=1", "--network_args", "conv_dim=4",
                "conv_alpha=2");
        TrainingSetup setup = TrainingSetup.resolve(args, BadInputPolicy.STOP, 7);
        Path checkpoint = Fixtures.file("sd15-tiny/tiny.safetensors");
        trained = LoraTrainer.run(new LoraTrainer.Inputs(setup, tiny.model, tiny.tokenizer, shared.resolve("out"),
                shared.resolve("cache"), "tiny-vae", new LoraTrainer.RunIdentity(1234, Instant.ofEpochSecond(1_733_600_000L),
                        ModelFileHashes.of(checkpoint), "bakehouse/test"), null, null, null), TrainingListener.SILENT).last();
    }

    @AfterAll
    static void close() throws Exception {
        SharedResources.close(tiny);
    }

    @Test
    void c3lierRun_savesExactlyKohyasKeysWithKohyasShapes() throws Exception {
        try (SafetensorsFile ours = SafetensorsFile.open(trained);
                SafetensorsFile kohya = SafetensorsFile.open(Fixtures.file("sd15-tiny/lora.safetensors"))) {
            assertEquals(new TreeSet<>(kohya.names()), new TreeSet<>(ours.names()));
            for (String name : kohya.names()) {
                assertArrayEquals(kohya.info(name).shape(), ours.info(name).shape(), name);
                if (name.endsWith(".alpha")) {
                    assertEquals(0, ours.info(name).shape().length, name + " is 0-dim");
                    assertEquals(2f, ours.readFloats(name)[0], name);
                }
                assertEquals(DType.F32, ours.info(name).dtype(), name + " (save_precision float)");
            }
            System.out.printf("ACCEPTANCE key set: %d tensors, equal to sd15-tiny/lora.safetensors%n", ours.names().size());
        }
    }

    @Test
    void metadata_coversKohyasSsKeysForTheTrainDataDirForm() throws Exception {
        try (SafetensorsFile ours = SafetensorsFile.open(trained)) {
            Set<String> keys = ours.metadata().keySet();
            TreeSet<String> missing = new TreeSet<>(KOHYA_SS_KEYS);
            missing.removeAll(keys);
            missing.removeAll(ABSENT_FOR_TRAIN_DATA_DIR);
            assertEquals(Set.of(), missing, "kohya ss_* keys missing from a train_data_dir run");
            TreeSet<String> unknown = new TreeSet<>();
            for (String k : keys) {
                if (k.startsWith("ss_") && !KOHYA_SS_KEYS.contains(k)) {
                    unknown.add(k);
                }
            }
            assertEquals(Set.of(), unknown, "ss_* keys kohya does not write");
            for (String absent : List.of("ss_datasets", "ss_vae_name")) {
                assertTrue(!keys.contains(absent), absent + " is not written without dataset_config / --vae");
            }
        }
    }

    @Test
    void trainedLora_loadsInTheRuntimePatcherAndPatchesEveryModulesLayer() throws Exception {
        var network = LoraReader.read(trained);
        assertEquals(290, network.modules().size());
        try (WeightPatcher patch = LoraPatcher.apply(tiny.model, List.of(LoraApplication.of("trained", network, 1f)))) {
            assertEquals(290, patch.patchedKeys().size());
        }
    }
}
