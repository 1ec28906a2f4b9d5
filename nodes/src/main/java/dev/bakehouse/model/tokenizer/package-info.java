/**
 * The SD 1.x CLIP tokenizer and the prompt conventions of the tools users come from.
 *
 * <ul>
 *   <li>{@link dev.bakehouse.model.tokenizer.ClipTokenizer}: byte-level BPE from
 *       {@code vocab.json} + {@code merges.txt}, found by
 *       {@link dev.bakehouse.model.tokenizer.TokenizerLocator}, whose last fallback is the copy in
 *       the jar ({@link dev.bakehouse.model.tokenizer.BundledTokenizer}: OpenAI's merges, vocabulary
 *       derived by {@code ClipVocab});
 *       text cleaning per {@link dev.bakehouse.model.tokenizer.TextNormalization} (OpenAI,
 *       HF with ftfy = A1111/kohya, HF without ftfy = ComfyUI; ftfy itself is not run).</li>
 *   <li>77-wide rows ({@link dev.bakehouse.model.tokenizer.TokenRows}: BOS, 75 slots, EOS,
 *       SD 1.x pads with EOS) in three styles: {@link dev.bakehouse.model.tokenizer.KohyaRows}
 *       (training, {@code max_token_length} 75/150/225),
 *       {@link dev.bakehouse.model.tokenizer.A1111Prompt} and
 *       {@link dev.bakehouse.model.tokenizer.ComfyPrompt} (emphasis syntax, per-token weights,
 *       chunking).</li>
 *   <li>Textual-inversion embeddings in ComfyUI prompts ({@code embedding:name}):
 *       {@link dev.bakehouse.model.tokenizer.TextualInversionReader} reads the files,
 *       an {@link dev.bakehouse.model.tokenizer.EmbeddingLookup} finds them by name, and their
 *       vectors fill token slots ({@link dev.bakehouse.model.tokenizer.TokenRows#embeddings()}).</li>
 *   <li>A1111's extra-network tags ({@code <lora:name:1>}) found and removed from prompts:
 *       {@link dev.bakehouse.model.tokenizer.ExtraNetworkTags}; what a LoRA tag means is read in
 *       {@code lora.lbw}.</li>
 * </ul>
 * Conformance: every case of {@code shared/fixtures/clip-tokenizer/cases.json}.
 */
package dev.bakehouse.model.tokenizer;
