/**
 * kohya's text conditioning for SD1 training: {@code --max_token_length} 75/150/225 prompts cut
 * into 77-token rows ({@link dev.bakehouse.model.tokenizer.KohyaRows}), each row encoded by the
 * CLIP text model with {@code --clip_skip}, and the rows' states reassembled into one long context
 * ({@link dev.bakehouse.train.text.ChunkedTextEncoding}). Differentiable, so a text-encoder LoRA
 * trains through it.
 */
package dev.bakehouse.train.text;
