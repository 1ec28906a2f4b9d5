package dev.bakehouse.train.save;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bakehouse.train.config.TrainNetworkArgs;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KohyaTrainingMetadataTest {

    private static TrainNetworkArgs parse(String... argv) {
        return ((TrainNetworkArgs.Parsed) TrainNetworkArgs.parse(List.of(argv), Path.of("."), false)).args();
    }

    private static KohyaTrainingMetadata.RunFacts facts() {
        return new KohyaTrainingMetadata.RunFacts(1234567890L, Instant.ofEpochSecond(1733600000L, 250_000_000L),
                "sd_v1", 0, "torch.optim.adamw.AdamW", "weight_decay=0.01", Map.of("ss_num_train_images", "40"),
                new KohyaTrainingMetadata.ModelIdentity("model.safetensors", "abcdef01", "00ff"), "bakehouse/0.1.0");
    }

    @Test
    void values_areSpelledAsPythonStr() {
        TrainNetworkArgs args = parse("--pretrained_model_name_or_path=model.safetensors", "--train_data_dir=d",
                "--output_name=kiki", "--network_dim=8", "--network_alpha=1", "--learning_rate=1e-4",
                "--text_encoder_lr=5e-5", "--unet_lr=1e-4", "--lr_warmup_steps=0.1", "--seed=42",
                "--noise_offset=0.05", "--resolution=512,768", "--network_args", "conv_dim=4", "conv_alpha=1");
        Map<String, String> m = new KohyaTrainingMetadata(args, facts()).forSave(500, 3, Instant.ofEpochSecond(1733600100L));

        assertEquals("kiki", m.get("ss_output_name"));
        assertEquals("0.0001", m.get("ss_learning_rate"));
        assertEquals("5e-05", m.get("ss_text_encoder_lr"));
        assertEquals("8", m.get("ss_network_dim"));
        assertEquals("1.0", m.get("ss_network_alpha"));
        assertEquals("None", m.get("ss_network_dropout"));
        assertEquals("0.1", m.get("ss_lr_warmup_steps"));
        assertEquals("42", m.get("ss_seed"));
        assertEquals("0.05", m.get("ss_noise_offset"));
        assertEquals("None", m.get("ss_clip_skip"));
        assertEquals("False", m.get("ss_v2"));
        assertEquals("no", m.get("ss_mixed_precision"));
        assertEquals("{\"conv_dim\": \"4\", \"conv_alpha\": \"1\"}", m.get("ss_network_args"));
        assertEquals("torch.optim.adamw.AdamW(weight_decay=0.01)", m.get("ss_optimizer"));
        assertEquals("1733600000.25", m.get("ss_training_started_at"));
        assertEquals("1733600100.0", m.get("ss_training_finished_at"));
        assertEquals("500", m.get("ss_steps"));
        assertEquals("3", m.get("ss_epoch"));
        assertEquals("abcdef01", m.get("ss_sd_model_hash"));
        assertEquals("model.safetensors", m.get("ss_sd_model_name"));
        assertEquals("40", m.get("ss_num_train_images"));
        assertEquals("stable-diffusion-v1/lora", m.get("modelspec.architecture"));
        assertEquals("512x768", m.get("modelspec.resolution"));
        assertEquals("kiki", m.get("modelspec.title"));
        assertEquals("epsilon", m.get("modelspec.prediction_type"));
        assertFalse(m.containsKey("modelspec.encoder_layer"));
    }

    @Test
    void noMetadata_keepsTheMinimumKeysAndTheModelSpec() {
        TrainNetworkArgs args = parse("--pretrained_model_name_or_path=m.safetensors", "--train_data_dir=d",
                "--no_metadata", "--clip_skip=2", "--network_dim=4");
        Map<String, String> m = new KohyaTrainingMetadata(args, facts()).forSave(10, 1, Instant.now());
        assertEquals("4", m.get("ss_network_dim"));
        assertEquals("sd_v1", m.get("ss_base_model_version"));
        assertFalse(m.containsKey("ss_steps"));
        assertFalse(m.containsKey("ss_learning_rate"));
        assertEquals("2", m.get("modelspec.encoder_layer"));
        assertTrue(m.keySet().stream().allMatch(k -> k.startsWith("modelspec.")
                || KohyaTrainingMetadata.MINIMUM_KEYS.contains(k)), m.keySet().toString());
    }
}
