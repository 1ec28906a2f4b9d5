package dev.bakehouse.server.cli;

import dev.bakehouse.lora.format.KohyaModuleNames;
import dev.bakehouse.lora.format.LbwBlock;
import dev.bakehouse.lora.format.LoraModule;
import dev.bakehouse.lora.format.LoraNetwork;
import dev.bakehouse.lora.format.LoraReader;
import dev.bakehouse.tensor.DType;
import dev.bakehouse.tensor.TensorFileException;
import dev.bakehouse.tensor.TensorFiles;
import dev.bakehouse.tensor.TensorInfo;
import dev.bakehouse.tensor.TensorSource;
import dev.bakehouse.tensor.sd.ArchitectureDetector;
import dev.bakehouse.tensor.sd.CheckpointComponent;
import dev.bakehouse.tensor.sd.DiffusersFolder;
import dev.bakehouse.tensor.sd.DetectedArchitecture;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The text {@code bakehouse inspect} prints for a checkpoint or LoRA file: format, tensor count,
 * dtypes, parameters, architecture (or the LoRA network with rank/alpha per LBW block and the
 * kohya training settings), then the remaining metadata.
 */
final class InspectReport {
    private InspectReport() {}

    /** The kohya settings shown first, in this order, when present. */
    private static final List<String> TRAINING_KEYS = List.of(
            "ss_sd_model_name", "ss_v2", "ss_learning_rate", "ss_unet_lr", "ss_text_encoder_lr", "ss_optimizer",
            "ss_lr_scheduler", "ss_lr_warmup_steps", "ss_max_train_steps", "ss_num_epochs", "ss_epoch", "ss_steps",
            "ss_batch_size_per_device", "ss_total_batch_size", "ss_resolution", "ss_mixed_precision", "ss_seed",
            "ss_clip_skip", "ss_noise_offset", "ss_min_snr_gamma", "ss_num_train_images", "ss_num_reg_images",
            "ss_training_comment", "ss_training_started_at", "ss_training_finished_at",
            "sshs_model_hash", "sshs_legacy_hash");
    private static final int MAX_VALUE_CHARS = 160;

    static List<String> lines(Path file, boolean listKeys) throws TensorFileException {
        List<String> out = new ArrayList<>();
        boolean folder = java.nio.file.Files.isDirectory(file);
        DiffusersFolder.Opened diffusers = folder ? DiffusersFolder.open(file) : null;
        try (TensorSource source = folder ? diffusers.tensors() : TensorFiles.open(file)) {
            out.add("file: " + file);
            out.add("format: " + (folder ? "diffusers folder (shown in single-file key names)"
                    : TensorFiles.detect(file).name().toLowerCase()));
            if (folder && !diffusers.unmappedKeys().isEmpty()) {
                out.add("unmapped keys: " + shorten(String.join(", ", diffusers.unmappedKeys())));
            }
            Map<DType, Integer> dtypes = new TreeMap<>();
            long parameters = 0;
            for (String name : source.names()) {
                TensorInfo t = source.info(name);
                dtypes.merge(t.dtype(), 1, Integer::sum);
                if (t.dtype().isFloatingPoint()) {
                    parameters += t.numel();
                }
            }
            out.add("tensors: " + source.names().size());
            out.add("dtypes: " + join(dtypes));
            out.add("parameters: " + parameters);
            Set<String> shown = new TreeSet<>();
            if (looksLikeLora(source.names())) {
                lora(LoraReader.read(source), out, shown);
            } else {
                checkpoint(source, out);
            }
            metadata(source.metadata(), shown, out);
            if (listKeys) {
                out.add("keys:");
                for (String name : source.names()) {
                    TensorInfo t = source.info(name);
                    out.add("  " + name + "\t" + t.dtype() + "\t" + java.util.Arrays.toString(t.shape()));
                }
            }
        } catch (TensorFileException e) {
            throw e;
        } catch (java.io.IOException e) {
            throw new TensorFileException(file, null, e.getMessage(), e);
        }
        return out;
    }

    private static boolean looksLikeLora(List<String> names) {
        return names.stream().anyMatch(n -> n.startsWith("lora_") || n.startsWith("lycoris_")
                || n.contains(".lora_A.") || n.contains(".lora.down.") || n.contains("_lora.down."));
    }

    private static void checkpoint(TensorSource source, List<String> out) {
        DetectedArchitecture a;
        try {
            a = ArchitectureDetector.detect(source);
        } catch (TensorFileException e) {
            out.add("architecture: unrecognised (" + e.getMessage() + ")");
            return;
        }
        out.add("architecture: " + a.describe());
        out.add("prediction: " + a.prediction().name().toLowerCase());
        var u = a.unet();
        out.add("  unet: in_channels " + u.inChannels() + ", model_channels " + u.modelChannels() + ", channel_mult "
                + u.channelMult() + ", num_res_blocks " + u.numResBlocks() + ", attention_resolutions "
                + u.attentionResolutions() + ", transformer_depth " + u.transformerDepth() + ", context_dim "
                + u.contextDim() + (u.admInChannels() > 0 ? ", adm_in_channels " + u.admInChannels() : ""));
        for (var t : a.textEncoders()) {
            out.add("  text encoder (" + t.component().prefix() + "): " + t.layout() + ", hidden " + t.hiddenSize()
                    + ", layers " + t.numLayers() + ", intermediate " + t.intermediateSize() + ", vocab " + t.vocabSize());
        }
        if (a.vae() != null) {
            out.add("  vae: ch " + a.vae().ch() + ", ch_mult " + a.vae().chMult() + ", num_res_blocks "
                    + a.vae().numResBlocks() + ", z_channels " + a.vae().zChannels());
        }
        for (CheckpointComponent c : CheckpointComponent.values()) {
            if (a.tensorCounts().containsKey(c)) {
                out.add("  " + c.name().toLowerCase() + ": " + a.tensorCounts().get(c) + " tensors, "
                        + a.parameterCounts().get(c) + " elements");
            }
        }
    }

    private static void lora(LoraNetwork n, List<String> out, Set<String> shown) {
        Map<String, String> meta = n.metadata();
        out.add("architecture: LoRA, " + n.modules().size() + " modules " + n.kindCounts()
                + (n.isDora() ? " with DoRA" : "") + ", key style " + n.styles());
        out.add("network: module " + meta.getOrDefault("ss_network_module", "?") + ", dim "
                + meta.getOrDefault("ss_network_dim", "?") + ", alpha " + meta.getOrDefault("ss_network_alpha", "?")
                + ", args " + meta.getOrDefault("ss_network_args", "{}"));
        out.add("base model: " + meta.getOrDefault("ss_base_model_version", meta.getOrDefault("modelspec.architecture", "?")));
        shown.addAll(List.of("ss_network_module", "ss_network_dim", "ss_network_alpha", "ss_network_args", "ss_base_model_version"));
        out.add("rank/alpha per block:");
        Map<String, List<LoraModule>> byBlock = new TreeMap<>(InspectReport::blockOrder);
        n.modules().values().forEach(m -> byBlock.computeIfAbsent(KohyaModuleNames.blockOfModuleName(m.name()).map(LbwBlock::id).orElse("?"), k -> new ArrayList<>()).add(m));
        byBlock.forEach((block, modules) -> {
            Set<Integer> ranks = new TreeSet<>();
            Set<Float> alphas = new TreeSet<>();
            modules.forEach(m -> {
                ranks.add(m.rank());
                m.alpha().ifPresent(alphas::add);
            });
            out.add(String.format("  %-5s %4d modules  rank %s  alpha %s", block, modules.size(), ranks,
                    alphas.isEmpty() ? "(none: scale 1)" : alphas));
        });
        out.add("training:");
        for (String key : TRAINING_KEYS) {
            if (meta.containsKey(key)) {
                out.add("  " + key + ": " + shorten(meta.get(key)));
                shown.add(key);
            }
        }
        if (!n.unknownKeys().isEmpty()) {
            out.add("unknown keys (" + n.unknownKeys().size() + ", not applied): "
                    + shorten(String.join(", ", n.unknownKeys())));
        }
    }

    private static void metadata(Map<String, String> meta, Set<String> shown, List<String> out) {
        long rest = meta.keySet().stream().filter(k -> !shown.contains(k)).count();
        out.add("metadata: " + rest + (shown.isEmpty() ? " entries" : " more entries"));
        meta.forEach((k, v) -> {
            if (!shown.contains(k)) {
                out.add("  " + k + ": " + shorten(v));
            }
        });
    }

    /** BASE, IN.., M00, OUT.., then anything else. */
    private static int blockOrder(String a, String b) {
        return (rank(a) + a).compareTo(rank(b) + b);
    }

    private static String rank(String block) {
        return block.equals("BASE") ? "0" : block.startsWith("IN") ? "1" : block.startsWith("M") ? "2"
                : block.startsWith("OUT") ? "3" : "4";
    }

    private static String join(Map<DType, Integer> counts) {
        List<String> parts = new ArrayList<>();
        counts.forEach((d, n) -> parts.add(d + " " + n));
        return String.join(", ", parts);
    }

    private static String shorten(String v) {
        String oneLine = v.replace('\n', ' ');
        return oneLine.length() <= MAX_VALUE_CHARS ? oneLine
                : oneLine.substring(0, MAX_VALUE_CHARS) + "… (" + oneLine.length() + " chars)";
    }
}
