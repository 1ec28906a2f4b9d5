/**
 * Pretraining of the toy world's base model ({@code bakehouse pretrain-toy}): every weight of an
 * SD1-structured model trained from scratch on generated scenes, on the model classes the LoRA
 * trainer uses. The flow reads top-down: {@link dev.bakehouse.toy.pretrain.InitialWeights} (random
 * start) → {@link dev.bakehouse.toy.pretrain.VaePhase} (autoencoder) →
 * {@link dev.bakehouse.toy.pretrain.ToyLatents} (frozen-VAE latent cache) →
 * {@link dev.bakehouse.toy.pretrain.DiffusionPhase} (text encoder + UNet) →
 * {@link dev.bakehouse.toy.pretrain.ToyCheckpoint} (LDM single file + sidecar config), driven and
 * made resumable by {@link dev.bakehouse.toy.pretrain.ToyPretrainer}.
 */
package dev.bakehouse.toy.pretrain;
