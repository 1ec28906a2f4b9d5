/**
 * Prompt validation and execution, ComfyUI-compatible (spec §3.3, §4.1, §6). The pipeline:
 *
 * <ol>
 *   <li>{@link dev.bakehouse.server.exec.PromptValidator} (with {@code NodeValidator},
 *       {@code Coercion}, {@code Reason}, {@code Py}): checks a prompt, coerces literals, answers
 *       {@link dev.bakehouse.server.exec.Validation}.</li>
 *   <li>{@link dev.bakehouse.server.exec.PromptExecutor}: parses the accepted prompt once
 *       ({@code PromptGraph}: {@code Link | Literal} inputs), computes cache keys
 *       ({@code InputSignatures}) against the {@link dev.bakehouse.server.exec.OutputCache}, orders
 *       the work ({@code ExecutionOrder}), calls nodes with list semantics ({@code NodeRunner}),
 *       reports to an {@link dev.bakehouse.server.exec.ExecutionListener} and ends in an
 *       {@link dev.bakehouse.server.exec.Outcome}.</li>
 * </ol>
 */
package dev.bakehouse.server.exec;
