package dev.bakehouse.lora.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.bakehouse.lora.format.LoraNetwork;
import dev.bakehouse.lora.format.LoraReader;
import dev.bakehouse.tensor.DType;
import dev.bakehouse.tensor.ElementCodec;
import dev.bakehouse.tensor.SafetensorsFile;
import dev.bakehouse.tensor.TensorFileException;
import dev.bakehouse.tensor.TensorInfo;
import dev.bakehouse.tensor.TensorSource;
import dev.bakehouse.testing.Fixtures;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointMergeTest {
    private static final String MERGED = "merged_0.7.";

    @TempDir
    Path dir;

    private static CheckpointMerge.Source lora(float ratio) throws TensorFileException {
        LoraNetwork n = LoraReader.read(Fixtures.file("sd15-tiny/lora.safetensors"));
        return new CheckpointMerge.Source("lora.safetensors", n, ratio, null);
    }

    @Test
    void merge_ratio07_matchesFixtureMergedWeights() throws Exception {
        Path out = dir.resolve("merged.safetensors");
        CheckpointMerge.Result r;
        try (SafetensorsFile ckpt = SafetensorsFile.open(Fixtures.file("sd15-tiny/tiny.safetensors"))) {
            r = CheckpointMerge.merge(ckpt, List.of(lora(0.7f)), out, null, Map.of("modelspec.title", "merged"), Progress.NONE);
        }
        assertEquals(290, r.mergedModules());
        assertTrue(r.skipped().isEmpty(), r.skipped().toString());
        int checked = 0;
        try (SafetensorsFile cases = SafetensorsFile.open(Fixtures.file("sd15-tiny/lora-cases.safetensors"));
             SafetensorsFile merged = SafetensorsFile.open(out)) {
            for (String name : cases.names()) {
                if (!name.startsWith(MERGED)) {
                    continue;
                }
                float[] expected = cases.readFloats(name);
                float[] actual = merged.readFloats(name.substring(MERGED.length()));
                double scale = 0;
                double err = 0;
                for (int i = 0; i < expected.length; i++) {
                    scale = Math.max(scale, Math.abs(expected[i]));
                    err = Math.max(err, Math.abs(expected[i] - actual[i]));
                }
                assertTrue(err <= 1e-5 * scale + 1e-6, name + ": max error " + err + " vs max " + scale);
                checked++;
            }
            assertEquals("merged", merged.metadata().get("modelspec.title"));
        }
        assertEquals(16, checked);
    }

    @Test
    void merge_keepsKeySetAndDtypes_andLeavesInputUntouched() throws Exception {
        Path input = Fixtures.file("sd15-tiny/tiny-fp16.safetensors");
        String before = sha256(input);
        Path out = dir.resolve("merged-fp16.safetensors");
        try (SafetensorsFile ckpt = SafetensorsFile.open(input)) {
            CheckpointMerge.merge(ckpt, List.of(lora(1f)), out, null, Map.of(), Progress.NONE);
        }
        assertEquals(before, sha256(input));
        try (SafetensorsFile in = SafetensorsFile.open(input); SafetensorsFile merged = SafetensorsFile.open(out)) {
            assertEquals(in.names(), merged.names());
            int changed = 0;
            for (String k : in.names()) {
                TensorInfo a = in.info(k);
                TensorInfo b = merged.info(k);
                assertEquals(a.dtype(), b.dtype(), k);
                assertTrue(a.hasShape(b.shape()), k);
                changed += in.view(k).equals(merged.view(k)) ? 0 : 1;
            }
            assertTrue(changed >= 280, "only " + changed + " tensors changed");
            assertEquals(DType.F16, merged.info("model.diffusion_model.input_blocks.1.1.proj_in.weight").dtype());
        }
    }

    @Test
    void merge_failureMidWrite_leavesNoFileUnderTheTargetName() throws Exception {
        Path out = dir.resolve("broken.safetensors");
        try (SafetensorsFile ckpt = SafetensorsFile.open(Fixtures.file("sd15-tiny/tiny.safetensors"))) {
            TensorSource failing = new FailingSource(ckpt, "model.diffusion_model.output_blocks.5.2.conv.weight");
            assertThrows(IOException.class, () ->
                    CheckpointMerge.merge(failing, List.of(lora(1f)), out, null, Map.of(), Progress.NONE));
        }
        assertFalse(Files.exists(out));
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(List.of(), left.toList(), "temp files left behind");
        }
    }

    @Test
    void merge_failureInAPatchedTensor_surfacesAndLeavesNoFile() throws Exception {
        Path out = dir.resolve("broken.safetensors");
        try (SafetensorsFile ckpt = SafetensorsFile.open(Fixtures.file("sd15-tiny/tiny.safetensors"))) {
            // patched on the helper thread ahead of the writer: its failure must still reach the caller
            TensorSource failing = new FailingSource(ckpt, "model.diffusion_model.input_blocks.1.1.proj_in.weight");
            TensorFileException e = assertThrows(TensorFileException.class, () ->
                    CheckpointMerge.merge(failing, List.of(lora(1f)), out, null, Map.of(), Progress.NONE));
            assertTrue(e.getMessage().contains("simulated read failure"), e.getMessage());
        }
        assertFalse(Files.exists(out));
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(List.of(), left.toList(), "temp files left behind");
        }
    }

    @Test
    void merge_savedAsF16_roundsEveryTensorAsTheJavaEncoderDoes() throws Exception {
        Path wide = dir.resolve("merged-f32.safetensors");
        Path narrow = dir.resolve("merged-f16.safetensors");
        try (SafetensorsFile ckpt = SafetensorsFile.open(Fixtures.file("sd15-tiny/tiny.safetensors"))) {
            CheckpointMerge.merge(ckpt, List.of(lora(0.7f)), wide, null, Map.of(), Progress.NONE);
            CheckpointMerge.merge(ckpt, List.of(lora(0.7f)), narrow, DType.F16, Map.of(), Progress.NONE);
        }
        // libtorch narrows patched and converted tensors; the result must be bit for bit the
        // round-to-nearest-even of the float32 merge, as the Java codec computes it
        try (SafetensorsFile a = SafetensorsFile.open(wide); SafetensorsFile b = SafetensorsFile.open(narrow)) {
            for (String k : a.names()) {
                if (a.info(k).dtype() != DType.F32) {
                    continue;
                }
                assertEquals(DType.F16, b.info(k).dtype(), k);
                assertEquals(ElementCodec.encodeFloats(DType.F16, a.readFloats(k)), b.view(k), k);
            }
        }
    }

    @Test
    void addRows_patchesOnlyTheGivenRowRange() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray w = m.create(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, new Shape(4, 2));
            NDArray delta = m.create(new float[] {10, 20, 30, 40}, new Shape(2, 2));
            assertArrayEquals(new float[] {1, 2, 13, 24, 35, 46, 7, 8}, CheckpointMerge.addRows(w, delta, 1).toFloatArray());
            assertArrayEquals(new float[] {11, 22, 33, 44, 5, 6, 7, 8}, CheckpointMerge.addRows(w, delta, 0).toFloatArray());
            assertArrayEquals(new float[] {1, 2, 3, 4, 15, 26, 37, 48}, CheckpointMerge.addRows(w, delta, 2).toFloatArray());
            assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, w.toFloatArray(), "the weight itself is untouched");
        }
    }

    @Test
    void merge_loraForAnotherShape_isRefusedBeforeWriting() throws Exception {
        Path out = dir.resolve("never.safetensors");
        LoraNetwork n = LoraReader.read(Fixtures.file("sd15-tiny/lora.safetensors"));
        try (SafetensorsFile ckpt = SafetensorsFile.open(Fixtures.file("sd15-tiny/tiny.safetensors"))) {
            LoraNetwork shrunk = LoraResize.resize(n, new LoraResize.Options(2, null, null, null, DType.F32), Progress.NONE).network();
            // a resized LoRA still fits; a network whose module is re-labelled onto another layer does not
            var wrong = new java.util.TreeMap<>(shrunk.modules());
            var m = wrong.remove("lora_unet_mid_block_attentions_0_transformer_blocks_0_attn1_to_v");
            wrong.put("lora_te_text_model_encoder_layers_0_self_attn_q_proj",
                    new dev.bakehouse.lora.format.LoraModule("lora_te_text_model_encoder_layers_0_self_attn_q_proj", m.kind(), m.tensors()));
            LoraNetwork bad = new LoraNetwork(wrong, Map.of(), List.of(), shrunk.styles());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CheckpointMerge.merge(ckpt,
                    List.of(new CheckpointMerge.Source("bad.safetensors", bad, 1f, null)), out, null, Map.of(), Progress.NONE));
            assertTrue(e.getMessage().contains("lora_te_text_model_encoder_layers_0_self_attn_q_proj"), e.getMessage());
        }
        assertFalse(Files.exists(out));
    }

    static String sha256(Path p) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
    }

    /** Delegates, but fails reading one tensor: a crash in the middle of the merge. */
    private record FailingSource(TensorSource inner, String failOn) implements TensorSource {
        @Override
        public Path path() {
            return inner.path();
        }

        @Override
        public List<String> names() {
            return inner.names();
        }

        @Override
        public boolean contains(String name) {
            return inner.contains(name);
        }

        @Override
        public TensorInfo info(String name) throws TensorFileException {
            return inner.info(name);
        }

        @Override
        public Map<String, String> metadata() {
            return inner.metadata();
        }

        @Override
        public ByteBuffer view(String name) throws TensorFileException {
            if (name.equals(failOn)) {
                throw new TensorFileException(path(), name, "simulated read failure");
            }
            return inner.view(name);
        }

        @Override
        public void close() {
        }
    }
}
