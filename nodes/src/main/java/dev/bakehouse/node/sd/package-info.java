/**
 * The Stable Diffusion nodes, under ComfyUI's class and input names: {@link
 * dev.bakehouse.node.sd.LoadCheckpoint} (also {@code CheckpointLoaderSimple}), {@link
 * dev.bakehouse.node.sd.LoraLoader}, {@link dev.bakehouse.node.sd.ClipTextEncode}, {@link
 * dev.bakehouse.node.sd.ClipSetLastLayer}, {@link dev.bakehouse.node.sd.EmptyLatentImage}, {@link
 * dev.bakehouse.node.sd.KSamplerNode}, {@link dev.bakehouse.node.sd.VaeDecode}, {@link
 * dev.bakehouse.node.sd.VaeEncode}; listed by {@link dev.bakehouse.node.sd.ModelNodes}.
 *
 * <p><b>Values.</b> MODEL ({@link dev.bakehouse.node.sd.ModelValue}), CLIP ({@link
 * dev.bakehouse.node.sd.ClipValue}) and VAE ({@link dev.bakehouse.node.sd.VaeValue}) are views of
 * a checkpoint in the {@link dev.bakehouse.node.sd.ModelCache} plus the LoRAs applied to that
 * branch of the graph ({@link dev.bakehouse.node.sd.PatchedCheckpoint}); they hold no native
 * memory. LATENT ({@link dev.bakehouse.node.sd.Latent}) and CONDITIONING ({@link
 * dev.bakehouse.node.sd.Conditioning}) hold {@link dev.bakehouse.node.sd.HostTensor}s: heap
 * copies, so the executor's cache can keep or drop them without closing anything.
 *
 * <p><b>Memory.</b> Each node run works in a child manager of the model's manager, closed when
 * the node returns; only host copies leave it.
 *
 * <p><b>Shared model.</b> The loaded model is shared by every node and prompt and is never left
 * changed: LoRAs are applied for the duration of one run under the model's monitor and the
 * original weight arrays are put back afterwards.
 */
package dev.bakehouse.node.sd;
