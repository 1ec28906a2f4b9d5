package dev.bakehouse.node.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bakehouse.node.InputSpec;
import dev.bakehouse.node.NodeInputs;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How TrainLoRA merges the dataset, its widgets, a pasted kohya_args and the graph's own paths. */
class TrainLoraArgsTest {
    private static final Path LORAS = Path.of("/data/models/loras");
    private static final DatasetValue DATASET = new DatasetValue("kiki", Path.of("/data/datasets/kiki"), ".txt", "512",
            true, "f00d", "");

    @Test
    void build_widgetsOnly_setKohyaOptionsAndGraphPaths() {
        TrainLoraArgs built = build(Map.of());

        assertEquals(16, built.args().network().networkDim());
        assertEquals(1e-4, built.args().optimizer().learningRate());
        assertEquals(10, built.args().training().maxTrainEpochs());
        assertEquals("/data/datasets/kiki", built.args().dataset().trainDataDir());
        assertEquals("512", built.args().dataset().resolution());
        assertEquals(LORAS.resolve("mine").toString(), built.args().saving().outputDir());
        assertEquals("/data/models/checkpoints/base.safetensors", built.args().model().pretrainedModelNameOrPath());
        assertEquals(null, built.args().network().unetLr(), "unet_lr 0 leaves it unset");
        assertEquals(List.of("conv_dim=4", "conv_alpha=2"), build(Map.of("conv_dim", 4, "conv_alpha", 2.0)).given().get("network_args"));
    }

    @Test
    void build_inLoopWidgets_setEmaAndPreservationOptions_andAreOffWhenAbsent() {
        TrainLoraArgs built = build(Map.of("ema_decay", 0.999, "ema_update_every", 2, "dop_weight", 0.5,
                "dop_class_prompt", "a star inside a ring", "blank_preservation_weight", 0.25));

        var ema = dev.bakehouse.train.config.EmaOptions.of(built.args());
        assertEquals(0.999, ema.decay());
        assertEquals(2, ema.updateEvery());
        var p = dev.bakehouse.train.config.PreservationOptions.of(built.args());
        assertEquals(0.5, p.dopWeight());
        assertEquals("a star inside a ring", p.dopClassPrompt());
        assertEquals(0.25, p.blankPreservationWeight());
        assertTrue(!dev.bakehouse.train.config.EmaOptions.of(build(Map.of()).args()).enabled());
        assertThrows(IllegalArgumentException.class, () -> build(Map.of("dop_weight", 0.5)), "dop_weight needs a class prompt");
    }

    @Test
    void build_kohyaArgsSetsAnOption_winsOverTheWidgetWithANote() {
        TrainLoraArgs built = build(Map.of("kohya_args", """
                accelerate launch --num_cpu_threads_per_process=2 train_network.py \\
                  --network_dim=32 --optimizer_type="Lion" \\
                  --output_dir=/elsewhere --resolution=768,512
                """));

        assertEquals(32, built.args().network().networkDim());
        assertEquals("Lion", built.args().optimizer().optimizerType());
        assertEquals("768,512", built.args().dataset().resolution());
        assertEquals(LORAS.resolve("mine").toString(), built.args().saving().outputDir(), "the graph decides output_dir");
        assertTrue(built.notes().contains("kohya_args sets network_dim=32 over the widget's 16"), built.notes().toString());
        assertTrue(built.notes().stream().anyMatch(n -> n.startsWith("kohya_args: --output_dir ignored")), built.notes().toString());
    }

    @Test
    void build_kohyaSsJson_fillsOptions() {
        TrainLoraArgs built = build(Map.of("kohya_args", """
                {"LoRA_type": "Standard", "network_dim": 8, "network_alpha": 4, "learning_rate": 0.0005,
                 "optimizer": "AdamW8bit", "epoch": 3, "max_resolution": "640,640", "seed": 7}
                """));

        assertEquals(8, built.args().network().networkDim());
        assertEquals("AdamW8bit", built.args().optimizer().optimizerType());
        assertEquals(3, built.args().training().maxTrainEpochs());
        assertEquals("640,640", built.args().dataset().resolution());
    }

    @Test
    void build_unknownOptionInKohyaArgs_failsNamingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> build(Map.of("kohya_args", "--network_dim=8 --no_such_option=1")));

        assertTrue(e.getMessage().startsWith("kohya_args: ") && e.getMessage().contains("--no_such_option"), e.getMessage());
    }

    @Test
    void build_badTomlValue_failsNamingTheOption() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> build(Map.of("kohya_args", "network_dim = \"wide\"")));

        assertTrue(e.getMessage().contains("--network_dim") && e.getMessage().contains("wide"), e.getMessage());
    }

    @Test
    void identity_changesWithAnOptionButNotWithTheResumeFolder() {
        TrainLoraArgs plain = build(Map.of());
        TrainLoraArgs resumed = TrainLoraArgs.build(inputs(Map.of()), DATASET, Path.of("/data/models/checkpoints/base.safetensors"),
                LORAS::resolve, Path.of("/data/models/loras/mine/mine-step00000002-state"), false);

        assertEquals(plain.identity(), resumed.identity());
        assertNotEquals(plain.identity(), build(Map.of("learning_rate", 2e-4)).identity());
    }

    private static TrainLoraArgs build(Map<String, Object> changes) {
        return TrainLoraArgs.build(inputs(changes), DATASET, Path.of("/data/models/checkpoints/base.safetensors"),
                LORAS::resolve, null, false);
    }

    /** The widgets at their defaults (as the spec declares them), output_name "mine", then the changes. */
    static NodeInputs inputs(Map<String, Object> changes) {
        Map<String, Object> in = new HashMap<>();
        for (var spec : TrainLoraWidgets.specs()) {
            in.put(spec.name(), defaultOf(spec));
        }
        in.put("output_name", "mine");
        in.putAll(changes);
        return new NodeInputs("TrainLoRA", in);
    }

    private static Object defaultOf(InputSpec spec) {
        if (spec instanceof InputSpec.IntInput i) {
            return i.defaultValue().longValue();
        } else if (spec instanceof InputSpec.FloatInput f) {
            return f.defaultValue();
        } else if (spec instanceof InputSpec.BooleanInput b) {
            return b.defaultValue();
        } else if (spec instanceof InputSpec.StringInput s) {
            return s.defaultValue();
        } else if (spec instanceof InputSpec.ComboInput c) {
            return c.defaultValue();
        }
        throw new IllegalStateException("no default for " + spec);
    }
}
