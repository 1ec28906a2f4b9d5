package dev.bakehouse.lora.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.bakehouse.tensor.DType;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** ΔW of each algorithm against a brute-force evaluation of its defining sum. */
class LoraDeltaTest {

    private final Random rnd = new Random(3);

    @Test
    void loconTucker_isTheSumOverMidUpAndDown() {
        int out = 3, in = 2, r = 2, k = 9;
        LoraTensor up = random(out, r, 1, 1);
        LoraTensor down = random(r, in, 1, 1);
        LoraTensor mid = random(r, r, 3, 3);
        LoraModule m = new LoraModule("lora_unet_x", LoraKind.LORA, Map.of("lora_up.weight", up,
                "lora_down.weight", down, "lora_mid.weight", mid, "alpha", LoraTensor.scalar(1)));
        float[] d = m.deltaWeight(new long[] {out, in, 3, 3});
        for (int p = 0; p < out; p++) {
            for (int q = 0; q < in; q++) {
                for (int s = 0; s < k; s++) {
                    double want = 0;
                    for (int i = 0; i < r; i++) {
                        for (int j = 0; j < r; j++) {
                            want += mid.values()[(i * r + j) * k + s] * up.values()[p * r + i] * down.values()[j * in + q];
                        }
                    }
                    assertEquals(want * 0.5, d[(p * in + q) * k + s], 1e-5);
                }
            }
        }
        assertEquals(LayerKind.CONV3X3, m.layerKind().orElseThrow());
    }

    @Test
    void lohaTucker_isTheProductOfTwoTuckerRebuilds() {
        int out = 2, in = 3, r = 2, k = 9;
        Map<String, LoraTensor> t = new java.util.HashMap<>();
        for (String i : new String[] {"1", "2"}) {
            t.put("hada_w" + i + "_a", random(r, out));
            t.put("hada_w" + i + "_b", random(r, in));
            t.put("hada_t" + i, random(r, r, 3, 3));
        }
        LoraModule m = new LoraModule("lora_unet_y", LoraKind.LOHA, t);
        float[] d = m.deltaWeight(new long[] {out, in, 3, 3});
        for (int p = 0; p < out; p++) {
            for (int q = 0; q < in; q++) {
                for (int s = 0; s < k; s++) {
                    double a = tucker(t.get("hada_t1"), t.get("hada_w1_a"), t.get("hada_w1_b"), p, q, s, r, out, in, k);
                    double b = tucker(t.get("hada_t2"), t.get("hada_w2_a"), t.get("hada_w2_b"), p, q, s, r, out, in, k);
                    assertEquals(a * b, d[(p * in + q) * k + s], 1e-5);
                }
            }
        }
    }

    @Test
    void lokrWithDecomposedW2_isTheKroneckerProductScaledByAlphaOverRank() {
        LoraTensor w1 = random(2, 3);
        LoraTensor a = random(4, 2);
        LoraTensor b = random(2, 5);
        LoraModule m = new LoraModule("lora_unet_z", LoraKind.LOKR, Map.of("lokr_w1", w1, "lokr_w2_a", a,
                "lokr_w2_b", b, "alpha", LoraTensor.scalar(1)));
        float[] d = m.deltaWeight(new long[] {8, 15});
        assertEquals(0.5, m.scale());
        for (int i = 0; i < 8; i++) {
            for (int j = 0; j < 15; j++) {
                double w2 = 0;
                for (int r = 0; r < 2; r++) {
                    w2 += a.values()[(i % 4) * 2 + r] * b.values()[r * 5 + (j % 5)];
                }
                assertEquals(0.5 * w1.values()[(i / 4) * 3 + (j / 5)] * w2, d[i * 15 + j], 1e-5);
            }
        }
    }

    @Test
    void wrongTargetShape_isRefusedNamingTheModule() {
        LoraModule m = new LoraModule("lora_unet_w", LoraKind.LORA,
                Map.of("lora_up.weight", random(2, 1), "lora_down.weight", random(1, 2)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.deltaWeight(new long[] {3, 3}));
        assertEquals(true, e.getMessage().startsWith("lora_unet_w"), e.getMessage());
    }

    @Test
    void checkFits_factorsWithDifferentRanks_namesBothFactors() {
        LoraModule m = new LoraModule("lora_unet_w", LoraKind.LORA,
                Map.of("lora_up.weight", random(4, 2), "lora_down.weight", random(3, 4)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.checkFits(new long[] {4, 4}));
        assertEquals("lora_unet_w: lora_up.weight has inner size 2, lora_down.weight has 3", e.getMessage());
    }

    @Test
    void checkFits_lohaFactorsOfDifferentSizes_isRefused() {
        LoraModule m = new LoraModule("lora_te_w", LoraKind.LOHA, Map.of(
                "hada_w1_a", random(4, 2), "hada_w1_b", random(2, 4),
                "hada_w2_a", random(4, 2), "hada_w2_b", random(2, 3)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.checkFits(new long[] {4, 4}));
        assertEquals("lora_te_w: hada_w1 rebuilds 16 values, hada_w2 12", e.getMessage());
    }

    @Test
    void checkFits_acceptsExactlyTheShapesDeltaWeightRebuilds() {
        LoraModule conv = new LoraModule("lora_unet_conv", LoraKind.LORA, Map.of(
                "lora_up.weight", random(6, 2, 1, 1), "lora_mid.weight", random(2, 2, 3, 3),
                "lora_down.weight", random(2, 5, 1, 1)));
        long[] target = {6, 5, 3, 3};
        conv.checkFits(target);
        assertEquals(6 * 5 * 3 * 3, conv.deltaWeight(target).length);
        assertThrows(IllegalArgumentException.class, () -> conv.checkFits(new long[] {6, 5, 1, 1}));
    }

    private static double tucker(LoraTensor core, LoraTensor wa, LoraTensor wb, int p, int q, int s, int r, int out, int in, int k) {
        double sum = 0;
        for (int i = 0; i < r; i++) {
            for (int j = 0; j < r; j++) {
                sum += core.values()[(i * r + j) * k + s] * wa.values()[i * out + p] * wb.values()[j * in + q];
            }
        }
        return sum;
    }

    private LoraTensor random(long... shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        float[] v = new float[(int) n];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) rnd.nextGaussian();
        }
        return new LoraTensor(DType.F32, shape, v);
    }
}
