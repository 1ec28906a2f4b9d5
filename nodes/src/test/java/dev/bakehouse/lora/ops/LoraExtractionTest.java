package dev.bakehouse.lora.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.bakehouse.lora.format.LoraModule;
import dev.bakehouse.tensor.SafetensorsFile;
import dev.bakehouse.tensor.SafetensorsWriter;
import dev.bakehouse.tensor.TensorFileException;
import dev.bakehouse.tensor.TensorSource;
import dev.bakehouse.tensor.sd.CheckpointView;
import dev.bakehouse.testing.Fixtures;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoraExtractionTest {
    private static final String U = "model.diffusion_model.";
    /** Weights changed by a rank-2 difference, and their kohya module names. */
    private static final Map<String, String> CHANGED = Map.of(
            U + "input_blocks.1.1.transformer_blocks.0.attn1.to_q.weight", "lora_unet_down_blocks_0_attentions_0_transformer_blocks_0_attn1_to_q",
            U + "input_blocks.1.1.transformer_blocks.0.ff.net.0.proj.weight", "lora_unet_down_blocks_0_attentions_0_transformer_blocks_0_ff_net_0_proj",
            U + "input_blocks.1.1.proj_in.weight", "lora_unet_down_blocks_0_attentions_0_proj_in",
            U + "input_blocks.1.0.in_layers.2.weight", "lora_unet_down_blocks_0_resnets_0_conv1");
    private static final String TEXT_Q = "cond_stage_model.transformer.text_model.encoder.layers.0.self_attn.q_proj.weight";

    @TempDir
    static Path dir;
    private static NDManager manager;
    private static Path original;

    @BeforeAll
    static void setUp() {
        manager = NDManager.newBaseManager();
        original = Fixtures.file("sd15-tiny/tiny.safetensors");
    }

    @AfterAll
    static void tearDown() {
        manager.close();
    }

    /** tiny + rank-2 differences on {@link #CHANGED} (and on the text encoder's q_proj when asked). */
    private static Path tuned(String name, float textDelta) throws Exception {
        Path out = dir.resolve(name);
        try (SafetensorsFile in = SafetensorsFile.open(original)) {
            SafetensorsWriter w = new SafetensorsWriter();
            long seed = 10;
            for (String k : in.names()) {
                if (CHANGED.containsKey(k) || k.equals(TEXT_Q) && textDelta != 0) {
                    long[] shape = in.info(k).shape();
                    int rows = (int) shape[0];
                    float[] base = in.readFloats(k);
                    float[] d = RandomizedSvdTest.lowRank(rows, base.length / rows, 2, seed++);
                    float scale = k.equals(TEXT_Q) ? textDelta : 0.05f;
                    for (int i = 0; i < base.length; i++) {
                        base[i] += scale * d[i];
                    }
                    w.addFloats(k, in.info(k).dtype(), shape, base);
                } else {
                    w.copyFrom(in, k, k);
                }
            }
            w.write(out);
        }
        return out;
    }

    private static LoraExtraction.Result extract(Path tunedFile, LoraExtraction.Options options) throws Exception {
        try (SafetensorsFile o = SafetensorsFile.open(original); SafetensorsFile t = SafetensorsFile.open(tunedFile)) {
            return LoraExtraction.extract(CheckpointView.of(o, CheckpointView.Weights.NON_EMA),
                    CheckpointView.of(t, CheckpointView.Weights.NON_EMA), options, manager, Progress.NONE);
        }
    }

    private static LoraExtraction.Options exact(int dim, Integer convDim) {
        return LoraExtraction.Options.kohyaDefaults().withDim(dim, convDim).withClampQuantile(null).withMethod(SvdMethod.EXACT);
    }

    @Test
    void extract_lowRankDifference_reconstructsEachModuleWithin1e4() throws Exception {
        Path tuned = tuned("tuned.safetensors", 0);
        for (SvdMethod method : SvdMethod.values()) {
            LoraExtraction.Result r = extract(tuned, exact(4, 4).withMethod(method));
            assertFalse(r.textEncoderIncluded(), "text encoder is identical");
            assertEquals(278, r.network().modules().size());
            try (SafetensorsFile o = SafetensorsFile.open(original); SafetensorsFile t = SafetensorsFile.open(tuned)) {
                for (Map.Entry<String, String> e : CHANGED.entrySet()) {
                    LoraModule m = r.network().module(e.getValue());
                    assertEquals(4, m.rank());
                    assertEquals(1.0, m.scale(), "alpha = rank, as kohya writes");
                    float[] expected = t.readFloats(e.getKey());
                    float[] base = o.readFloats(e.getKey());
                    for (int i = 0; i < base.length; i++) {
                        expected[i] -= base[i];
                    }
                    float[] actual = m.deltaWeight(o.info(e.getKey()).shape());
                    double err = RandomizedSvdTest.maxAbsError(expected, actual);
                    assertTrue(err < 1e-4, method + " " + e.getValue() + ": max error " + err);
                }
            }
            r.modules().stream().filter(m -> CHANGED.containsValue(m.name()))
                    .forEach(m -> assertEquals(1.0, m.keptEnergy(), 1e-4, m.name()));
        }
    }

    @Test
    void mergeOfExtract_rebuildsTheTunedModel() throws Exception {
        Path tuned = tuned("tuned-te.safetensors", 0.5f);
        LoraExtraction.Result r = extract(tuned, exact(2, 2));
        assertTrue(r.textEncoderIncluded(), "q_proj differs by more than min_diff");
        assertEquals(290, r.network().modules().size());
        Path merged = dir.resolve("remerged.safetensors");
        try (SafetensorsFile o = SafetensorsFile.open(original)) {
            CheckpointMerge.merge(o, List.of(new CheckpointMerge.Source("extracted", r.network(), 1f, null)), merged, null,
                    Map.of(), Progress.NONE);
        }
        try (SafetensorsFile t = SafetensorsFile.open(tuned); SafetensorsFile m = SafetensorsFile.open(merged)) {
            for (String k : t.names()) {
                if (t.info(k).dtype().isFloatingPoint()) {
                    double err = RandomizedSvdTest.maxAbsError(t.readFloats(k), m.readFloats(k));
                    assertTrue(err < 1e-4, k + ": max error " + err);
                }
            }
        }
    }

    @Test
    void extract_withoutConvDim_skipsResnetModules_andWritesKohyaMetadata() throws Exception {
        LoraExtraction.Result r = extract(tuned("tuned-noconv.safetensors", 0), LoraExtraction.Options.kohyaDefaults().withDim(8, null));
        assertEquals(192 - 0, r.network().modules().size(), "LierLa UNet modules only (text encoder identical)");
        assertFalse(r.network().modules().containsKey("lora_unet_down_blocks_0_resnets_0_conv1"));
        Map<String, String> md = r.network().metadata();
        assertEquals("8", md.get("ss_network_dim"));
        assertEquals("8.0", md.get("ss_network_alpha"));
        assertEquals("{}", md.get("ss_network_args"));
        assertEquals("sd_v1", md.get("ss_base_model_version"));
        assertEquals("False", md.get("ss_v2"));
        // dim 8 is above some modules' size: rank = min(dim, in, out)
        r.network().modules().values().forEach(m -> assertTrue(m.rank() <= 8));
    }

    @Test
    void extract_tunedModelMissingAModule_namesTheKey() throws Exception {
        Path cut = dir.resolve("cut.safetensors");
        try (SafetensorsFile in = SafetensorsFile.open(original)) {
            SafetensorsWriter w = new SafetensorsWriter();
            for (String k : in.names()) {
                if (!k.equals(U + "middle_block.1.proj_in.weight")) {
                    w.copyFrom(in, k, k);
                }
            }
            w.write(cut);
        }
        TensorFileException e = assertThrows(TensorFileException.class, () -> extract(cut, exact(4, null)));
        assertTrue(e.getMessage().contains("middle_block.1.proj_in.weight"), e.getMessage());
    }

    static TensorSource view(SafetensorsFile f) {
        return CheckpointView.of(f, CheckpointView.Weights.NON_EMA);
    }
}
