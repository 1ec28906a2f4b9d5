package dev.bakehouse.train.run;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.bakehouse.lora.network.TrainableLoraNetwork;
import dev.bakehouse.model.StableDiffusion;
import dev.bakehouse.train.loss.PreservationLoss;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The preservation terms of one micro-batch ({@link PreservationLoss}) wired to the trainer's
 * model, network and text conditioning: the extra UNet forwards run on the step's noisy latents
 * and timesteps, the LoRA switched between its training multiplier and 0 for each. With a frozen
 * text encoder a prompt is encoded once per step and shared by both forwards.
 *
 * <p>The forwards are plain ones in the step's gradient collector even with
 * {@code gradient_checkpointing} (only the main forward is checkpointed), so a preservation term
 * costs the activation memory of one more un-checkpointed forward.
 */
final class PreservationStep {
    private final List<PreservationLoss.Term> terms;
    private final TrainableLoraNetwork network;
    private final StableDiffusion model;
    private final BatchInputs inputs;
    private final boolean textEncoderTrains;

    PreservationStep(List<PreservationLoss.Term> terms, TrainableLoraNetwork network, StableDiffusion model,
                     BatchInputs inputs, boolean textEncoderTrains) {
        this.terms = List.copyOf(terms);
        this.network = network;
        this.model = model;
        this.inputs = inputs;
        this.textEncoderTrains = textEncoderTrains;
    }

    boolean isOff() {
        return terms.isEmpty();
    }

    /** The weighted sum of the terms for this batch, in the step's manager; call inside the gradient collector. */
    NDArray loss(NDArray noisyLatents, NDArray timesteps, NDManager step) {
        int batch = (int) noisyLatents.getShape().get(0);
        float multiplier = network.options().multiplier();
        Map<String, NDArray> frozen = new HashMap<>();
        PreservationLoss.Conditioning conditioning = (prompt, m) -> {
            List<String> prompts = Collections.nCopies(batch, prompt);
            if (!textEncoderTrains) {
                return frozen.computeIfAbsent(prompt, p -> inputs.context(prompts, step));
            }
            return withMultiplier(m, () -> inputs.context(prompts, step));
        };
        PreservationLoss.Prediction prediction = (context, m) ->
                withMultiplier(m, () -> model.unet().forward(noisyLatents, timesteps, context));
        return PreservationLoss.compute(terms, conditioning, prediction, multiplier);
    }

    private NDArray withMultiplier(float m, java.util.function.Supplier<NDArray> body) {
        float normal = network.options().multiplier();
        network.setMultiplier(m);
        try {
            return body.get();
        } finally {
            network.setMultiplier(normal);
        }
    }
}
