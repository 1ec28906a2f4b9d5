/**
 * The LoRA testing nodes. {@link dev.bakehouse.node.grid.SampleGrid}: an X/Y/Z grid over LoRAs
 * (a LORA list such as every saved epoch), strengths, LoRA Block Weight presets/vectors, Prompt
 * S/R and KSampler settings, every cell from one seed, saved with a {@code bakehouse_grid} PNG
 * chunk. {@link dev.bakehouse.node.grid.LoraBlockAnalysis}: each LBW block of one LoRA off in
 * turn and alone on, with the mean latent and pixel change per block as a table, CSV and JSON.
 *
 * <p>Cells are sampled through the plain nodes (CLIPTextEncode, KSampler, VAEDecode) by
 * {@code CellRenderer}, so a cell equals what a hand-built graph with LoraLoader gives; LoRAs are
 * applied to the incoming MODEL/CLIP views at run time and the shared weights are restored after
 * each cell ({@link dev.bakehouse.node.sd.PatchedCheckpoint}).
 */
package dev.bakehouse.node.grid;
