package dev.bakehouse.train.optim;

import java.util.List;
import java.util.Objects;

/**
 * Parameters that share one learning rate, as kohya's optimizer param groups: the text encoder,
 * the UNet, or one UNet block when block-wise learning rates are set ({@code unet_IN04}, ...).
 *
 * @param name   group name, used in logs ("lr/unet") and in saved optimizer state
 * @param baseLr the group's learning rate before the schedule's factor is applied
 */
public record ParamGroup(String name, double baseLr, List<TrainableParam> params) {
    public ParamGroup {
        Objects.requireNonNull(name, "name");
        params = List.copyOf(params);
    }
}
