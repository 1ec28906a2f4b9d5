package dev.bakehouse.train.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.util.List;
import org.junit.jupiter.api.Test;

class OptimizerArgsTest {

    @Test
    void parse_pythonLiterals_asKohyasLiteralEval() {
        OptimizerArgs a = OptimizerArgs.parse(List.of("weight_decay=0.01", "betas=0.9,0.99", "decouple=True",
                "beta1=None", "d0=1e-6", "slice_p=11", "eps=(1e-30, 1e-3)"));
        assertEquals(0.01, a.real("weight_decay", 0));
        assertEquals(List.of(0.9, 0.99), a.values().get("betas"));
        assertEquals(true, a.bool("decouple", false));
        assertEquals(null, a.optionalReal("beta1", 0.5));
        assertEquals(1e-6, a.real("d0", 0));
        assertEquals(11L, a.integer("slice_p", 1));
        assertEquals(1e-30, a.pair("eps", 0, 0)[0]);
    }

    @Test
    void parse_notKeyValue_namesTheWord() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OptimizerArgs.parse(List.of("weight_decay")));
        assertTrue(e.getMessage().contains("'weight_decay' is not of the form key=value"), e.getMessage());
    }

    @Test
    void parse_notALiteral_namesKey() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OptimizerArgs.parse(List.of("betas=0.9;0.99")));
        assertTrue(e.getMessage().startsWith("optimizer_args betas:"), e.getMessage());
    }

    @Test
    void create_unknownKeys_namesThemAndListsAccepted() {
        try (NDManager m = NDManager.newBaseManager()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Optimizers.create("prodigy",
                    OptimizerArgs.parse(List.of("d_coef=2", "warmup=5", "betas=0.9,0.99")), 1.0, List.of(), m));
            assertTrue(e.getMessage().contains("unknown key warmup"), e.getMessage());
            assertTrue(e.getMessage().contains("accepted: beta3, betas, d0, d_coef"), e.getMessage());
        }
    }

    @Test
    void create_wrongValueType_saysExpectedAndFound() {
        try (NDManager m = NDManager.newBaseManager()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Optimizers.create("AdamW",
                    OptimizerArgs.parse(List.of("betas=0.9")), 1e-4, List.of(), m));
            assertTrue(e.getMessage().contains("betas: expected two numbers"), e.getMessage());
            assertTrue(e.getMessage().contains("found 0.9"), e.getMessage());
        }
    }

    @Test
    void optimizerType_caseInsensitive_andDAdaptationAlias() {
        assertEquals(OptimizerType.ADAMW_8BIT, OptimizerType.parse("adamw8BIT"));
        assertEquals(OptimizerType.ADAFACTOR, OptimizerType.parse("Adafactor"));
        assertEquals(OptimizerType.DADAPT_ADAM_PREPRINT, OptimizerType.parse("DAdaptation"));
        assertEquals(OptimizerType.ADAMW, OptimizerType.parse(""));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OptimizerType.parse("AdEMAMix8bit"));
        assertTrue(e.getMessage().contains("'AdEMAMix8bit' is not supported"), e.getMessage());
    }

    @Test
    void dAdaptation_differentGroupLrs_refusedNamingGroups() {
        try (NDManager m = NDManager.newBaseManager()) {
            TrainableParam a = OptimizerHarness.param(m, "a", new float[] {1}, 1);
            TrainableParam b = OptimizerHarness.param(m, "b", new float[] {1}, 1);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Optimizers.create("DAdaptAdam",
                    OptimizerArgs.none(), 1.0, List.of(new ParamGroup("unet", 1.0, List.of(a)),
                            new ParamGroup("text_encoder", 0.5, List.of(b))), m));
            assertTrue(e.getMessage().contains("unet=1.0, text_encoder=0.5"), e.getMessage());
        }
    }

    @Test
    void sgdNesterov_momentumZero_refused() {
        try (NDManager m = NDManager.newBaseManager()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Optimizers.create("SGDNesterov",
                    OptimizerArgs.parse(List.of("momentum=0")), 0.1, List.of(), m));
            assertTrue(e.getMessage().contains("momentum > 0"), e.getMessage());
        }
    }
}
