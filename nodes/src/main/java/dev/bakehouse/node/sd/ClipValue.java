package dev.bakehouse.node.sd;

import dev.bakehouse.lora.LoraApplication;
import dev.bakehouse.lora.format.LoraNetwork;
import dev.bakehouse.model.tokenizer.ClipTokenizer;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The CLIP value: a checkpoint's text encoder with its tokenizer, the LoRAs applied to it and the
 * layer whose output is the conditioning ({@code stopAtLayer}: -1 the last, -2 the one before, …;
 * ComfyUI's {@code CLIPSetLastLayer}, A1111's "clip skip" = {@code -stopAtLayer}).
 *
 * @param tokenizer  finds the tokenizer when a prompt is first encoded, so a checkpoint loaded only
 *                   for its VAE needs none; throws {@code TokenizerNotFoundException} naming every
 *                   place it looked
 * @param embeddings the textual-inversion embeddings prompts may name ({@code embedding:name}), as
 *                   ComfyUI's CLIP tokenizer knows its embeddings folders
 */
public record ClipValue(PatchedCheckpoint checkpoint, Supplier<ClipTokenizer> tokenizer, Embeddings embeddings,
        int stopAtLayer) {
    public ClipValue {
        Objects.requireNonNull(checkpoint, "checkpoint");
        Objects.requireNonNull(tokenizer, "tokenizer");
        Objects.requireNonNull(embeddings, "embeddings");
        if (stopAtLayer >= 0) {
            throw new IllegalArgumentException("stop_at_clip_layer must be negative (-1 = last layer), found " + stopAtLayer);
        }
    }

    /** This encoder with a LoRA's text encoder modules at {@code strength} (its UNet modules untouched). */
    public ClipValue withLora(String name, LoraNetwork network, float strength) {
        return withLora(new LoraApplication(name, network, 0f, strength, null));
    }

    /** This encoder with one more LoRA application (its UNet strength is not used by a CLIP). */
    public ClipValue withLora(LoraApplication lora) {
        return new ClipValue(checkpoint.withLora(lora), tokenizer, embeddings, stopAtLayer);
    }

    /** This encoder stopping at another layer. */
    public ClipValue withStopAtLayer(int layer) {
        return new ClipValue(checkpoint, tokenizer, embeddings, layer);
    }
}
