/**
 * LoRA Block Weight as users type it: {@link dev.bakehouse.lora.lbw.LbwEntry} (numbers and the
 * letters R, U, X, A, B of the two tools), {@link dev.bakehouse.lora.lbw.LbwVector} (a typed vector),
 * {@link dev.bakehouse.lora.lbw.LbwPresets} (built-in and user presets),
 * {@link dev.bakehouse.lora.lbw.LoraPromptTag} (A1111's {@code <lora:…>} tags with the extension's
 * {@code lbw=}) and {@link dev.bakehouse.lora.lbw.InspireBlockVector} (the Inspire pack's
 * per-present-block reading). The resolved 26 ratios are {@link dev.bakehouse.lora.ops.LoraBlockWeights};
 * the block ids are {@link dev.bakehouse.lora.format.LbwBlock}.
 */
package dev.bakehouse.lora.lbw;
