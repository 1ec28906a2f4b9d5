package dev.bakehouse.node.sd;

import dev.bakehouse.node.DataDirs;
import dev.bakehouse.node.Node;
import dev.bakehouse.node.grid.LoraBlockAnalysis;
import dev.bakehouse.node.grid.SampleGrid;
import dev.bakehouse.node.lora.ApplyLora;
import dev.bakehouse.node.lora.ExtractLora;
import dev.bakehouse.node.lora.LoadLora;
import dev.bakehouse.node.lora.LoraFromPrompt;
import dev.bakehouse.node.lora.LoraLoaderBlockWeight;
import dev.bakehouse.node.lora.MergeLora;
import dev.bakehouse.node.lora.MergeLoras;
import dev.bakehouse.node.lora.ResizeLora;
import java.util.List;
import java.util.function.Supplier;

/**
 * The Stable Diffusion nodes: loaders, text encoding, sampling, latents and the VAE, then the
 * LORA-value nodes, the LoRA surgery nodes (extract, merge, resize) and the LoRA testing nodes
 * (grids, block analysis).
 */
public final class ModelNodes {
    private ModelNodes() {}

    /**
     * Factories of the model nodes, for {@link dev.bakehouse.node.NodeRegistry#of}.
     *
     * @param cache shared by every node of the registry, so a checkpoint is loaded once
     */
    public static List<Supplier<? extends Node>> all(DataDirs dirs, ModelSettings settings, ModelCache cache) {
        Tokenizers tokenizers = new Tokenizers(dirs, settings, cache);
        Embeddings embeddings = new Embeddings(dirs, cache);
        return List.of(
                () -> new LoadCheckpoint(LoadCheckpoint.NAME, dirs, cache, tokenizers, embeddings),
                () -> new LoadCheckpoint(LoadCheckpoint.COMFY_NAME, dirs, cache, tokenizers, embeddings),
                () -> new LoraLoader(dirs, cache),
                ClipTextEncode::new,
                ClipTextEncodeSdxl::new,
                ClipSetLastLayer::new,
                EmptyLatentImage::new,
                KSamplerNode::new,
                VaeDecode::new,
                VaeEncode::new,
                () -> new LoadLora(dirs, cache),
                ApplyLora::new,
                () -> new LoraLoaderBlockWeight(dirs, cache),
                () -> new LoraFromPrompt(dirs, cache),
                () -> new ExtractLora(dirs, settings.device()),
                () -> new MergeLora(dirs),
                () -> new MergeLoras(dirs),
                () -> new ResizeLora(dirs),
                SampleGrid::new,
                LoraBlockAnalysis::new);
    }
}
