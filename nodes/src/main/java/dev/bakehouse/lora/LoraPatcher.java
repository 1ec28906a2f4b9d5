package dev.bakehouse.lora;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.bakehouse.lora.format.KohyaModuleNames;
import dev.bakehouse.lora.format.LoraModule;
import dev.bakehouse.model.StableDiffusion;
import dev.bakehouse.model.WeightPatcher;
import dev.bakehouse.model.nn.Param;
import dev.bakehouse.model.unet.UNetConfig;
import dev.bakehouse.tensor.sd.UNetKeyMap;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Applies LoRAs to a loaded model at run time: W <- W + Σ multiplier · ΔW for every module, where
 * ΔW = scale · rebuild(factors) ({@link LoraModule#deltaWeight}). The returned {@link WeightPatcher}
 * restores the exact original weights. Every LoRA is checked against the model before any weight
 * changes.
 */
public final class LoraPatcher {
    private LoraPatcher() {}

    /**
     * @throws LoraMismatchException listing every module that names no weight of the model or whose
     *                               factors do not rebuild that weight's shape
     */
    public static WeightPatcher apply(StableDiffusion model, List<LoraApplication> loras) {
        Map<String, Target> byModule = modulesOf(model);
        List<Map<LoraModule, Target>> plans = new ArrayList<>();
        for (LoraApplication lora : loras) {
            plans.add(plan(lora, byModule));
        }
        WeightPatcher patcher = new WeightPatcher(model.params());
        try (NDManager scratch = model.manager().newSubManager()) {
            for (int i = 0; i < loras.size(); i++) {
                LoraApplication lora = loras.get(i);
                for (var e : plans.get(i).entrySet()) {
                    Target target = e.getValue();
                    float multiplier = lora.multiplier(e.getKey(), target.param().key());
                    if (multiplier == 0f) {
                        continue; // W + 0·ΔW is W
                    }
                    float[] delta = target.inWeight(e.getKey().deltaWeight(target.shape()));
                    try (NDArray d = scratch.create(delta, target.param().shape()); NDArray scaled = d.mul(multiplier)) {
                        patcher.addDelta(target.param().key(), scaled);
                    }
                }
            }
        } catch (RuntimeException e) {
            patcher.restore();
            throw e;
        }
        return patcher;
    }

    /**
     * Checks that a LoRA fits the model, from shapes alone: no weight is read or changed. Loaders
     * call it so that a LoRA made for another model fails where it is chosen, not in a later node.
     *
     * @throws LoraMismatchException as {@link #apply}
     */
    public static void checkFits(StableDiffusion model, LoraApplication lora) {
        plan(lora, modulesOf(model));
    }

    /**
     * The weight a module adapts: all of it, or the rows [rowStart, rowEnd) of OpenCLIP's fused
     * {@code in_proj_weight} that hold its q, k or v.
     */
    private record Target(Param param, int rowStart, int rowEnd) {
        /** The shape the module's ΔW must have. */
        long[] shape() {
            long[] s = param.shape().getShape().clone(); // DJL hands out the Shape's own array
            if (rowStart >= 0) {
                s[0] = rowEnd - rowStart;
            }
            return s;
        }

        /** ΔW of {@link #shape()} placed in a zero ΔW of the whole weight. */
        float[] inWeight(float[] delta) {
            if (rowStart < 0) {
                return delta;
            }
            long[] s = param.shape().getShape();
            int rowSize = Math.toIntExact(param.shape().size() / s[0]);
            float[] whole = new float[Math.toIntExact(param.shape().size())];
            System.arraycopy(delta, 0, whole, rowStart * rowSize, delta.length);
            return whole;
        }

        String describe() {
            return param.key() + (rowStart >= 0 ? " rows " + rowStart + ":" + rowEnd : "") + " " + new Shape(shape());
        }
    }

    /** Module -> weight, or a LoraMismatchException naming every module that does not fit. */
    private static Map<LoraModule, Target> plan(LoraApplication lora, Map<String, Target> byModule) {
        Map<LoraModule, Target> plan = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (String key : lora.network().unknownKeys()) {
            problems.add(key + ": tensor belongs to no LoRA module");
        }
        for (LoraModule m : lora.network().modules().values()) {
            Target target = byModule.get(m.name());
            if (target == null) {
                problems.add(m.name() + ": no such layer in the model");
                continue;
            }
            if (!m.kind().hasDelta()) {
                problems.add(m.name() + ": " + m.kind() + " modules cannot be applied");
                continue;
            }
            if (m.doraScale().isPresent()) {
                problems.add(m.name() + ": DoRA modules (dora_scale) are not supported at run time");
                continue;
            }
            try {
                m.checkFits(target.shape());
                plan.put(m, target);
            } catch (IllegalArgumentException e) {
                problems.add(m.name() + ": does not fit " + target.describe() + " (" + e.getMessage() + ")");
            }
        }
        if (!problems.isEmpty()) {
            throw new LoraMismatchException(lora.name(), problems);
        }
        return plan;
    }

    /**
     * Kohya module name -> the linear/conv weight (rows) it adapts, for every such weight of the
     * model; SDXL UNet modules are named by LDM paths, its text modules lora_te1_/lora_te2_.
     */
    private static Map<String, Target> modulesOf(StableDiffusion model) {
        UNetConfig u = model.config().unet();
        Set<Integer> attentionLevels = new TreeSet<>();
        for (int level = 0; level < u.levels(); level++) {
            if (u.hasAttention(level)) {
                attentionLevels.add(level);
            }
        }
        KohyaModuleNames names = new KohyaModuleNames(UNetKeyMap.of(u.levels(), u.numResBlocks(), attentionLevels),
                model.config().isSdxl());
        Map<String, Target> byModule = new HashMap<>();
        for (Param p : model.params().params().values()) {
            if (p.shape().dimension() >= 2) {
                for (KohyaModuleNames.Placement place : names.placements(p.key(), p.shape().get(0))) {
                    byModule.put(place.moduleName(), new Target(p, place.rowStart(), place.rowEnd()));
                }
            }
        }
        return byModule;
    }
}
