package dev.bakehouse.model.sampling;

import ai.djl.ndarray.NDArray;

/**
 * The UNet as the samplers see it: an epsilon prediction for a DDPM-scaled input. Implementations
 * must not keep or close their arguments and should return a result in {@code xIn}'s manager
 * (put the activation first in every op so results do not join the weights' manager).
 */
@FunctionalInterface
public interface EpsPredictor {
    /**
     * @param xIn latent times {@code c_in = 1/sqrt(sigma^2+1)}, shape (B, 4, H, W), float32
     * @param timesteps the discrete timestep per batch item, shape (B), float32 (integer-valued)
     * @param context cross-attention context, shape (B, 77k, C)
     * @return predicted noise, shape (B, 4, H, W)
     */
    NDArray predictEps(NDArray xIn, NDArray timesteps, NDArray context);

    /**
     * The same with SDXL's vector conditioning y (B, adm_in_channels); models that take none keep
     * this default, which accepts only y == null.
     */
    default NDArray predictEps(NDArray xIn, NDArray timesteps, NDArray context, NDArray y) {
        if (y != null) {
            throw new IllegalArgumentException("this model takes no vector conditioning y");
        }
        return predictEps(xIn, timesteps, context);
    }
}
