package dev.bakehouse.model.vae;

import ai.djl.ndarray.NDArray;
import dev.bakehouse.model.nn.Activations;
import dev.bakehouse.model.nn.Constants;
import dev.bakehouse.model.nn.Conv2d;
import dev.bakehouse.model.nn.GroupNorm;
import dev.bakehouse.model.nn.ParamStore;
import dev.bakehouse.model.nn.Scope;

/** LDM ResnetBlock without time embedding ({@code norm1, conv1, norm2, conv2, nin_shortcut}). */
final class VaeResnetBlock {
    private final GroupNorm norm1;
    private final Conv2d conv1;
    private final GroupNorm norm2;
    private final Conv2d conv2;
    private final Conv2d ninShortcut;

    VaeResnetBlock(ParamStore store, Constants constants, VaeConfig cfg, String key, long in, long out) {
        this.norm1 = new GroupNorm(store, constants, key + ".norm1", cfg.normNumGroups(), in, cfg.normEps());
        this.conv1 = Conv2d.same(store, key + ".conv1", in, out, 3);
        this.norm2 = new GroupNorm(store, constants, key + ".norm2", cfg.normNumGroups(), out, cfg.normEps());
        this.conv2 = Conv2d.same(store, key + ".conv2", out, out, 3);
        this.ninShortcut = in == out ? null : Conv2d.same(store, key + ".nin_shortcut", in, out, 1);
    }

    NDArray forward(NDArray x) {
        // at 512x512 each activation is 128-256 MiB: every one is closed as soon as the next exists
        return Scope.run(x, in -> {
            NDArray h = norm1.forward(in);
            h = Scope.advance(h, in, Activations::silu);
            h = Scope.advance(h, in, conv1::forward);
            h = Scope.advance(h, in, norm2::forward);
            h = Scope.advance(h, in, Activations::silu);
            h = Scope.advance(h, in, conv2::forward);
            NDArray residual = h;
            return Scope.advance(ninShortcut == null ? in : ninShortcut.forward(in), in, r -> r.add(residual));
        });
    }
}
