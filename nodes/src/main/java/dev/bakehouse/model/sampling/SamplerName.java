package dev.bakehouse.model.sampling;

import java.util.Arrays;
import java.util.function.Supplier;

/** ComfyUI's KSampler {@code sampler_name} values implemented here. */
public enum SamplerName {
    EULER("euler", EulerSampler::new),
    EULER_ANCESTRAL("euler_ancestral", EulerAncestralSampler::new),
    /** Deterministic DDIM; equal to Euler (ComfyUI runs its {@code ddim} as Euler), see {@link DdimSampler}. */
    DDIM("ddim", DdimSampler::new),
    DPMPP_2M("dpmpp_2m", DpmPp2mSampler::new);

    private final String comfyName;
    private final Supplier<Sampler> factory;

    SamplerName(String comfyName, Supplier<Sampler> factory) {
        this.comfyName = comfyName;
        this.factory = factory;
    }

    public String comfyName() {
        return comfyName;
    }

    public Sampler create() {
        return factory.get();
    }

    public static SamplerName fromComfyName(String name) {
        for (SamplerName s : values()) {
            if (s.comfyName.equals(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown sampler '" + name + "', expected one of "
                + Arrays.stream(values()).map(SamplerName::comfyName).toList());
    }
}
