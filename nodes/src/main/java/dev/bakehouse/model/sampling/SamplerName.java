package dev.bakehouse.model.sampling;

import java.util.Arrays;
import java.util.function.Supplier;

/**
 * ComfyUI's KSampler {@code sampler_name} values implemented here, in ComfyUI's list order.
 *
 * <p>Not offered: the SDE samplers ({@code dpmpp_sde}, {@code dpmpp_2m_sde}, {@code dpmpp_3m_sde}
 * and their {@code _gpu} twins) draw their noise from torchsde's Brownian tree, which cannot be
 * reproduced bit for bit from libtorch's generator; the {@code *_cfg_pp} samplers need the
 * unguided prediction next to the guided one; {@code dpm_fast}, {@code dpm_adaptive},
 * {@code ipndm_v}, {@code deis}, {@code res_multistep}, {@code uni_pc*} are not
 * written yet.
 */
public enum SamplerName {
    EULER("euler", EulerSampler::new),
    EULER_ANCESTRAL("euler_ancestral", EulerAncestralSampler::new),
    HEUN("heun", HeunSampler::new),
    HEUNPP2("heunpp2", HeunPp2Sampler::new),
    DPM_2("dpm_2", Dpm2Sampler::new),
    DPM_2_ANCESTRAL("dpm_2_ancestral", Dpm2AncestralSampler::new),
    LMS("lms", LmsSampler::new),
    DPMPP_2S_ANCESTRAL("dpmpp_2s_ancestral", DpmPp2sAncestralSampler::new),
    DPMPP_2M("dpmpp_2m", DpmPp2mSampler::new),
    DDPM("ddpm", DdpmSampler::new),
    LCM("lcm", LcmSampler::new),
    IPNDM("ipndm", IpndmSampler::new),
    /** Deterministic DDIM; equal to Euler (ComfyUI runs its {@code ddim} as Euler), see {@link DdimSampler}. */
    DDIM("ddim", DdimSampler::new);

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

    /** ComfyUI's {@code DISCARD_PENULTIMATE_SIGMA_SAMPLERS} (of those offered here). */
    public boolean discardsPenultimateSigma() {
        return this == DPM_2 || this == DPM_2_ANCESTRAL;
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
