package dev.bakehouse.train.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A kohya_ss (bmaltais) GUI LoRA config, saved as JSON, turned into the options its
 * {@code lora_gui.py train_model} would hand {@code train_network.py} (read at kohya_ss 45088f04):
 * empty strings and the zeros the GUI means as "off" are unset; {@code max_resolution},
 * {@code optimizer}, {@code lora_network_weights} and {@code epoch} are renamed; {@code lr_warmup}
 * (percent) becomes a warm-up ratio; {@code xformers} picks xformers or sdpa; {@code LoRA_type} picks
 * the network module, and for Standard / Kohya LoCon its block fields become {@code network_args};
 * {@code noise_offset_type} keeps either the plain or the multires noise settings;
 * {@code additional_parameters} are command-line arguments; {@code sample_prompts} is prompt text.
 */
final class KohyaSsJson {
    private KohyaSsJson() {}

    /** Fields where the GUI sends None for 0 ({@code x if x != 0 else None} in train_model). */
    private static final Set<String> ZERO_IS_UNSET = Set.of("adaptive_noise_scale", "ip_noise_gamma", "max_timestep",
            "min_timestep", "min_snr_gamma", "max_train_epochs", "max_train_steps", "multires_noise_iterations", "noise_offset",
            "save_every_n_epochs", "save_every_n_steps", "save_last_n_epochs", "save_last_n_epochs_state", "save_last_n_steps",
            "save_last_n_steps_state", "seed", "unet_lr", "text_encoder_lr", "v_pred_like_loss", "vae_batch_size",
            "sample_every_n_epochs", "sample_every_n_steps", "lr_scheduler_num_cycles", "lr_scheduler_power", "epoch");

    /** Block fields of LoRA_type Standard / Kohya LoCon that become network_args. */
    private static final List<String> NETWORK_ARG_FIELDS = List.of("down_lr_weight", "mid_lr_weight", "up_lr_weight",
            "block_lr_zero_threshold", "block_dims", "block_alphas", "conv_block_dims", "conv_block_alphas",
            "rank_dropout", "module_dropout");

    /** accelerate launch settings the GUI keeps in the same file. */
    private static final Set<String> ACCELERATE = Set.of("num_cpu_threads_per_process", "num_processes", "num_machines",
            "multi_gpu", "gpu_ids", "main_process_port", "extra_accelerate_launch_args", "dynamo_mode", "dynamo_use_dynamic",
            "dynamo_use_fullgraph");

    /** Model families whose GUI checkbox picks another training script. */
    private static final List<String> OTHER_SCRIPTS = List.of("sdxl", "sd3_checkbox", "flux1_checkbox", "hunyuan_image_checkbox",
            "anima_checkbox", "lumina_checkbox");

    private static final Map<String, String> RENAMED = Map.of("max_resolution", "resolution", "optimizer", "optimizer_type",
            "lora_network_weights", "network_weights");

    static ConfigValues read(Path file, JsonNode json) {
        if (!json.isObject()) {
            throw new ArgError(file.getFileName() + ": a kohya_ss config is a JSON object, found " + json.getNodeType());
        }
        for (String script : OTHER_SCRIPTS) {
            if (json.path(script).asBoolean(false)) {
                throw new ArgError(file.getFileName() + ": '" + script + "' is set; only SD1.x LoRA training (train_network.py) is built");
            }
        }
        Map<String, Object> given = new LinkedHashMap<>();
        List<String> unused = new ArrayList<>();
        List<String> accelerate = new ArrayList<>();
        String noiseType = json.path("noise_offset_type").asText("");
        json.fields().forEachRemaining(entry -> {
            String key = RENAMED.getOrDefault(entry.getKey(), entry.getKey());
            JsonNode value = entry.getValue();
            if (isUnset(key, value) || skippedByNoiseType(key, noiseType) || key.equals("xformers")) {
                return;
            }
            Optional<OptionSpec> spec = KohyaOptions.find(key);
            if (ACCELERATE.contains(key)) {
                accelerate.add(key);
            } else if (spec.isPresent() && !key.equals("config_file") && !key.equals("sample_prompts")) {
                given.put(key, KohyaConfigFiles.convert(file, spec.get(), gui(spec.get(), value)));
            } else if (!isGuiOnly(key)) {
                unused.add(entry.getKey());
            }
        });
        epochs(file, json, given);
        warmup(file, json, given);
        attention(json, given);
        network(file, json, given);
        List<String> notes = new ArrayList<>();
        if (!accelerate.isEmpty()) {
            notes.add("accelerate settings in " + file.getFileName() + " ignored (Bakehouse runs one process on --device): "
                    + String.join(", ", accelerate));
        }
        if (!unused.isEmpty()) {
            notes.add(file.getFileName() + ": kohya_ss settings with no train_network.py meaning, ignored: " + String.join(", ", unused));
        }
        String prompts = json.path("sample_prompts").asText("").strip();
        return new ConfigValues(given, tokenize(json.path("additional_parameters").asText(""), "additional_parameters"),
                prompts.isEmpty() ? null : prompts, notes);
    }

    private static boolean isUnset(String key, JsonNode value) {
        if (value.isNull() || value.isMissingNode() || (value.isTextual() && value.textValue().isBlank())) {
            return true;
        }
        if (value.isBoolean() && !value.booleanValue()) {
            return true;
        }
        if (key.equals("max_token_length") && value.asText().strip().equals("75")) {
            return true; // the GUI's 75 is kohya's default (None); kohya's choices are 150 and 225
        }
        return ZERO_IS_UNSET.contains(key) && isZero(value);
    }

    private static boolean isZero(JsonNode value) {
        try {
            return value.isNumber() ? value.doubleValue() == 0 : Double.parseDouble(value.asText()) == 0;
        } catch (NumberFormatException notANumber) {
            return false;
        }
    }

    private static boolean skippedByNoiseType(String key, String noiseType) {
        return switch (key) {
            case "noise_offset", "adaptive_noise_scale", "noise_offset_random_strength" -> noiseType.equals("Multires");
            case "multires_noise_iterations", "multires_noise_discount" -> noiseType.equals("Original");
            default -> false;
        };
    }

    /** GUI fields consumed below (or meaningful only to the GUI itself) that are no option. */
    private static boolean isGuiOnly(String key) {
        return key.equals("LoRA_type") || key.equals("epoch") || key.equals("lr_warmup")
                || key.equals("additional_parameters") || key.equals("noise_offset_type") || key.equals("conv_dim")
                || key.equals("conv_alpha") || NETWORK_ARG_FIELDS.contains(key) || OTHER_SCRIPTS.contains(key);
    }

    /** The GUI writes space-separated KEY=VALUE strings where kohya takes lists. */
    private static JsonNode gui(OptionSpec spec, JsonNode value) {
        if (spec.list() && value.isTextual()) {
            var array = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
            Arrays.stream(value.textValue().replace("\"", "").strip().split("\\s+")).forEach(array::add);
            return array;
        }
        return value;
    }

    /** The GUI turns epoch into max_train_steps; max_train_epochs says the same to train_network.py. */
    private static void epochs(Path file, JsonNode json, Map<String, Object> given) {
        JsonNode epoch = json.path("epoch");
        if (!isUnset("epoch", epoch) && !given.containsKey("max_train_epochs") && !given.containsKey("max_train_steps")) {
            given.put("max_train_epochs", KohyaConfigFiles.convert(file, KohyaOptions.get("max_train_epochs"), epoch));
        }
    }

    private static void warmup(Path file, JsonNode json, Map<String, Object> given) {
        JsonNode percent = json.path("lr_warmup");
        if (!given.containsKey("lr_warmup_steps") && !isUnset("lr_warmup", percent) && !isZero(percent)) {
            double ratio = Double.parseDouble(percent.asText()) / 100.0;
            given.put("lr_warmup_steps", KohyaConfigFiles.convert(file, KohyaOptions.get("lr_warmup_steps"),
                    TextNode.valueOf(Double.toString(ratio))));
        }
        if (given.get("lr_warmup_steps") instanceof StepsOrRatio steps && steps.equals(StepsOrRatio.ZERO)) {
            given.remove("lr_warmup_steps");
        }
    }

    private static void attention(JsonNode json, Map<String, Object> given) {
        JsonNode attention = json.path("xformers");
        if (attention.isBoolean() ? attention.booleanValue() : attention.asText().equals("xformers")) {
            given.put("xformers", true);
        } else if (attention.asText().equals("sdpa")) {
            given.put("sdpa", true);
        }
    }

    private static void network(Path file, JsonNode json, Map<String, Object> given) {
        String type = json.path("LoRA_type").asText("Standard");
        String module = switch (type) {
            case "Standard", "Kohya LoCon" -> "networks.lora";
            case "Kohya DyLoRA" -> "networks.dylora";
            case "LoRA-FA" -> "networks.lora_fa";
            case "Kohya LoHa" -> "networks.loha";
            case "Kohya LoKr" -> "networks.lokr";
            default -> type.startsWith("LyCORIS/") || type.equals("LoCon") ? "lycoris.kohya" : null;
        };
        if (module == null) {
            throw new ArgError(file.getFileName() + ": LoRA_type '" + type + "' is not built; use Standard or Kohya LoCon");
        }
        given.put("network_module", module);
        if (!module.equals("networks.lora")) {
            return;
        }
        List<String> args = new ArrayList<>();
        if (type.equals("Kohya LoCon")) {
            args.add("conv_dim=" + json.path("conv_dim").asText());
            args.add("conv_alpha=" + json.path("conv_alpha").asText());
        }
        for (String field : NETWORK_ARG_FIELDS) {
            JsonNode value = json.path(field);
            if (!isUnset(field, value) && !isZero(value)) {
                args.add(field + "=" + value.asText().replace("\"", "").replace(" ", ""));
            }
        }
        if (!args.isEmpty()) {
            given.put("network_args", List.copyOf(args));
        }
    }

    /** Splits a command line as a POSIX shell would for plain words and quotes (no expansions). */
    static List<String> tokenize(String line, String source) {
        List<String> tokens = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean inToken = false;
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else if (c == '\\' && quote == '"' && i + 1 < line.length()) {
                    current.append(line.charAt(++i));
                } else {
                    current.append(c);
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
                inToken = true;
            } else if (Character.isWhitespace(c)) {
                if (inToken) {
                    tokens.add(current.toString());
                    current.setLength(0);
                    inToken = false;
                }
            } else {
                current.append(c == '\\' && i + 1 < line.length() ? line.charAt(++i) : c);
                inToken = true;
            }
        }
        if (quote != 0) {
            throw new ArgError(source + ": unclosed " + quote + " quote in: " + line);
        }
        if (inToken) {
            tokens.add(current.toString());
        }
        return tokens;
    }
}
