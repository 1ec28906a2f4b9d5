package dev.bakehouse.lora.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bakehouse.lora.format.LoraModule;
import dev.bakehouse.lora.format.LoraNetwork;
import dev.bakehouse.lora.format.LoraReader;
import dev.bakehouse.lora.format.LoraTensor;
import dev.bakehouse.tensor.DType;
import dev.bakehouse.testing.Fixtures;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class LoraResizeTest {
    private static LoraNetwork lora;

    @BeforeAll
    static void read() throws Exception {
        lora = LoraReader.read(Fixtures.file("sd15-tiny/lora.safetensors"));
    }

    private static long[] weightShape(LoraModule m) {
        LoraTensor up = m.tensor("lora_up.weight").get();
        long[] shape = m.tensor("lora_down.weight").get().shape();
        shape[0] = up.rows();
        return shape;
    }

    private static double norm(float[] a) {
        return Math.sqrt(TruncatedSvd.frobeniusSquared(a));
    }

    @Test
    void resize_toLowerRank_keepsTheFrobeniusFractionItReports() {
        LoraResize.Result r = LoraResize.resize(lora, new LoraResize.Options(2, null, null, null, DType.F32), Progress.NONE);
        assertEquals(290, r.modules().size());
        for (LoraResize.ModuleReport rep : r.modules()) {
            LoraModule before = lora.module(rep.name());
            LoraModule after = r.network().module(rep.name());
            assertEquals(2, after.rank());
            assertEquals(before.scale(), after.scale(), 1e-6, "alpha follows the rank so the scale is unchanged");
            float[] old = before.deltaWeight(weightShape(before));
            float[] resized = after.deltaWeight(weightShape(before));
            // the kept part is an orthogonal projection, so ‖ΔW_new‖ / ‖ΔW‖ is the retained Frobenius fraction
            assertEquals(rep.froRetained(), norm(resized) / norm(old), 1e-4, rep.name());
            assertTrue(rep.froRetained() < 1.0 && rep.froRetained() > 0.5, rep.kohyaLine());
        }
        assertEquals("2", r.network().metadata().get("ss_network_dim"));
        assertEquals("1.0", r.network().metadata().get("ss_network_alpha"), "alpha 2 / rank 4 · 2");
        assertTrue(r.network().metadata().get("ss_training_comment").startsWith("dimension is resized from 4 to 2; "));
    }

    @Test
    void resize_toSameRank_reproducesEveryDelta() {
        LoraResize.Result r = LoraResize.resize(lora, new LoraResize.Options(4, 4, null, null, DType.F32), Progress.NONE);
        for (LoraModule before : lora.modules().values()) {
            float[] old = before.deltaWeight(weightShape(before));
            float[] now = r.network().module(before.name()).deltaWeight(weightShape(before));
            assertTrue(RandomizedSvdTest.maxAbsError(old, now) < 1e-5 * (1 + RandomizedSvdTest.maxAbsError(old, new float[old.length])));
        }
    }

    @Test
    void resize_svFro_picksTheKohyaRankAndKeepsAtLeastTheTarget() {
        LoraResize.Result r = LoraResize.resize(lora, new LoraResize.Options(4, null, LoraResize.DynamicMethod.SV_FRO, 0.9, DType.F16),
                Progress.NONE);
        for (LoraResize.ModuleReport rep : r.modules()) {
            assertTrue(rep.newRank() >= 2 && rep.newRank() <= 4, rep.kohyaLine());
            assertTrue(rep.froRetained() >= 0.9 || rep.newRank() == 4, rep.kohyaLine());
            assertEquals(DType.F16, r.network().module(rep.name()).tensor("lora_down.weight").get().dtype());
        }
        assertEquals("Dynamic", r.network().metadata().get("ss_network_dim"));
    }

    @Test
    void chooseRank_followsResizeLoraIndexArithmetic() {
        float[] s = {10, 5, 1, 0.5f};
        // sv_ratio 4: values > 10/4 = 2.5 are 2 -> index 2 -> rank 3 (kohya adds one)
        assertEquals(3, LoraResize.chooseRank(s, 4, 8, new LoraResize.Options(8, null, LoraResize.DynamicMethod.SV_RATIO, 4.0, DType.F32)));
        // sv_cumulative 0.5: cumsum/sum = .606,.909,.97,1 -> searchsorted(0.5)=0, +1 -> 1 -> rank 2
        assertEquals(2, LoraResize.chooseRank(s, 4, 8, new LoraResize.Options(8, null, LoraResize.DynamicMethod.SV_CUMULATIVE, 0.5, DType.F32)));
        // capped by new_rank
        assertEquals(1, LoraResize.chooseRank(s, 4, 1, new LoraResize.Options(1, null, LoraResize.DynamicMethod.SV_RATIO, 100.0, DType.F32)));
        // a zero matrix gets rank 1
        assertEquals(1, LoraResize.chooseRank(new float[] {0, 0}, 2, 4, new LoraResize.Options(4, null, null, null, DType.F32)));
    }

    @Test
    void options_dynamicMethodWithoutParam_isRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new LoraResize.Options(4, null, LoraResize.DynamicMethod.SV_FRO, null, DType.F32));
        assertTrue(e.getMessage().contains("dynamic_param"));
        assertThrows(IllegalArgumentException.class, () -> LoraResize.DynamicMethod.parse("sv_max"));
    }
}
