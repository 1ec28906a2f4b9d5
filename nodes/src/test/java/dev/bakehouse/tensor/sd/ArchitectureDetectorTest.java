package dev.bakehouse.tensor.sd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bakehouse.tensor.DType;
import dev.bakehouse.tensor.SafetensorsFile;
import dev.bakehouse.tensor.TensorFileException;
import dev.bakehouse.tensor.sd.DetectedArchitecture.Family;
import dev.bakehouse.tensor.sd.DetectedArchitecture.Prediction;
import dev.bakehouse.tensor.sd.DetectedArchitecture.TextEncoderNumbers;
import dev.bakehouse.testing.Fixtures;
import dev.bakehouse.testing.KeyTables;
import dev.bakehouse.testing.SparseSafetensors;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArchitectureDetectorTest {

    @TempDir
    Path dir;

    @Test
    void sd15KeyTable_everyKeyRecognisedWithThePublishedCounts() throws Exception {
        Map<String, long[]> keys = KeyTables.shapes("sd15-keys.tsv");
        assertEquals(1131, keys.size());
        DetectedArchitecture a = ArchitectureDetector.detect(new ShapeIndex(null, keys), Map.of());
        assertEquals(686, a.tensorCounts().get(CheckpointComponent.UNET));
        assertEquals(196 + 1, a.tensorCounts().get(CheckpointComponent.TEXT_ENCODER), "196 weights + position_ids");
        assertEquals(248, a.tensorCounts().get(CheckpointComponent.VAE));
        assertFalse(a.tensorCounts().containsKey(CheckpointComponent.OTHER), "no key left unrecognised");
        assertEquals(859_520_964L, a.parameterCounts().get(CheckpointComponent.UNET));
        assertEquals(123_060_480L + 77, a.parameterCounts().get(CheckpointComponent.TEXT_ENCODER));
        assertEquals(83_653_863L, a.parameterCounts().get(CheckpointComponent.VAE));
    }

    @Test
    void sparseSd15ShapedFile_loadsAsStandardSd15() throws Exception {
        Path f = dir.resolve("sd15.safetensors");
        Map<String, long[]> keys = KeyTables.shapes("sd15-keys.tsv");
        SparseSafetensors.write(f, keys, DType.F16, Map.of());
        try (SafetensorsFile file = SafetensorsFile.open(f)) {
            assertEquals(1131, file.names().size());
            DetectedArchitecture a = ArchitectureDetector.detect(file);
            assertEquals(Family.SD1, a.family());
            assertTrue(a.standardSize());
            assertEquals(Prediction.EPSILON, a.prediction());
            var u = a.unet();
            assertEquals(320, u.modelChannels());
            assertEquals(List.of(1, 2, 4, 4), u.channelMult());
            assertEquals(2, u.numResBlocks());
            assertEquals(List.of(1, 2, 4), u.attentionResolutions());
            assertEquals(List.of(1, 1, 1, 0), u.transformerDepth());
            assertEquals(768, u.contextDim());
            assertFalse(u.useLinearInTransformer());
            assertEquals(8, u.numHeads());
            TextEncoderNumbers t = a.textEncoders().get(0);
            assertEquals(List.of(49408, 768, 12, 3072, 77), List.of(t.vocabSize(), t.hiddenSize(), t.numLayers(),
                    t.intermediateSize(), t.maxPositions()));
            assertEquals(128, a.vae().ch());
            assertEquals(List.of(1, 2, 4, 4), a.vae().chMult());
            assertEquals(4, a.vae().zChannels());
            assertEquals("SD1.x", a.describe());
        }
    }

    @Test
    void tinyFixture_isSd1WithItsConfigNumbers() throws Exception {
        try (SafetensorsFile file = SafetensorsFile.open(Fixtures.file("sd15-tiny/tiny.safetensors"))) {
            DetectedArchitecture a = ArchitectureDetector.detect(file);
            assertEquals(Family.SD1, a.family());
            assertFalse(a.standardSize());
            var u = a.unet();
            assertEquals(List.of(4, 4, 32, 2, 32), List.of(u.inChannels(), u.outChannels(), u.modelChannels(),
                    u.numResBlocks(), u.contextDim()));
            assertEquals(List.of(1, 2, 3, 3), u.channelMult());
            assertEquals(List.of(1, 2, 4), u.attentionResolutions());
            assertEquals(-1, u.numHeads(), "head count is not visible in shapes of a custom size");
            TextEncoderNumbers t = a.textEncoders().get(0);
            assertEquals(List.of(49408, 32, 2, 64, 77), List.of(t.vocabSize(), t.hiddenSize(), t.numLayers(),
                    t.intermediateSize(), t.maxPositions()));
            var v = a.vae();
            assertEquals(List.of(3, 3, 32, 2, 4, 4), List.of(v.inChannels(), v.outChannels(), v.ch(), v.numResBlocks(),
                    v.zChannels(), v.embedDim()));
            assertEquals(List.of(1, 2, 3, 3), v.chMult());
            assertTrue(a.describe().contains("model_channels 32"), a.describe());
        }
    }

    @Test
    void sdxlKeyTable_isSdxlWithBothTextEncoders() throws Exception {
        DetectedArchitecture a = ArchitectureDetector.detect(new ShapeIndex(null, KeyTables.shapes("sdxl-keys.tsv")), Map.of());
        assertEquals(Family.SDXL, a.family());
        assertTrue(a.standardSize());
        assertEquals(List.of(0, 2, 10), a.unet().transformerDepth());
        assertEquals(2816, a.unet().admInChannels());
        assertEquals(64, a.unet().numHeadChannels());
        assertEquals(2, a.textEncoders().size());
        assertEquals(1280, a.textEncoders().get(1).hiddenSize());
        assertEquals(32, a.textEncoders().get(1).numLayers());
        assertEquals(1680, a.tensorCounts().get(CheckpointComponent.UNET));
        assertEquals(390, a.tensorCounts().get(CheckpointComponent.TEXT_ENCODER_SDXL_2));
    }

    @Test
    void sdxlTinyFixture_isCustomSizeSdxl() throws Exception {
        try (SafetensorsFile file = SafetensorsFile.open(Fixtures.file("sdxl-tiny/tiny.safetensors"))) {
            DetectedArchitecture a = ArchitectureDetector.detect(file);
            assertEquals(Family.SDXL, a.family());
            assertFalse(a.standardSize());
        }
    }

    @Test
    void sd2Shapes_areSd2AndMetadataDecidesPrediction() throws Exception {
        Map<String, long[]> keys = new HashMap<>(KeyTables.shapes("sd15-keys.tsv"));
        keys.keySet().removeIf(k -> k.startsWith("cond_stage_model."));
        keys.put("cond_stage_model.model.token_embedding.weight", new long[] {49408, 1024});
        keys.put("cond_stage_model.model.positional_embedding", new long[] {77, 1024});
        keys.put("cond_stage_model.model.transformer.resblocks.0.mlp.c_fc.weight", new long[] {4096, 1024});
        ShapeIndex index = new ShapeIndex(null, keys);
        DetectedArchitecture a = ArchitectureDetector.detect(index, Map.of());
        assertEquals(Family.SD2, a.family());
        assertEquals(Prediction.UNKNOWN, a.prediction(), "shapes alone cannot tell SD2 eps from v");
        assertEquals(Prediction.V_PREDICTION,
                ArchitectureDetector.detect(index, Map.of("modelspec.prediction_type", "v")).prediction());
    }

    @Test
    void loraFile_isRefusedWithAHint() throws Exception {
        try (SafetensorsFile file = SafetensorsFile.open(Fixtures.file("sd15-tiny/lora.safetensors"))) {
            TensorFileException e = assertThrows(TensorFileException.class, () -> ArchitectureDetector.detect(file));
            assertTrue(e.getMessage().contains("LoRA"), e.getMessage());
        }
    }

    @Test
    void emaKeysAndOldClipSpellings_followA1111() {
        assertEquals("model_ema.diffusion_modelinput_blocks00weight",
                LdmKeys.emaKeyFor("model.diffusion_model.input_blocks.0.0.weight"));
        assertEquals("cond_stage_model.transformer.text_model.encoder.layers.0.mlp.fc1.weight",
                LdmKeys.normalize("cond_stage_model.transformer.encoder.layers.0.mlp.fc1.weight"));
    }
}
