package dev.bakehouse.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bakehouse.testing.Fixtures;
import org.junit.jupiter.api.Test;

class SafetensorsFixtureTest {

    @Test
    void tinyCheckpoint_hasTheDocumentedKeysAndCounts() throws Exception {
        try (SafetensorsFile sf = SafetensorsFile.open(Fixtures.file("sd15-tiny/tiny.safetensors"))) {
            assertEquals(971, sf.names().size());
            long params = 0;
            for (TensorInfo t : sf.tensors()) {
                if (t.dtype().isFloatingPoint()) {
                    params += t.numel();
                }
            }
            assertEquals(10_269_035L, params, "parameters, the I64 position_ids buffer excluded");
            TensorInfo pos = sf.info("cond_stage_model.transformer.text_model.embeddings.position_ids");
            assertEquals(DType.I64, pos.dtype());
            long[] ids = sf.readLongs(pos.name());
            for (int i = 0; i < 77; i++) {
                assertEquals(i, ids[i]);
            }
            TensorInfo conv = sf.info("model.diffusion_model.input_blocks.0.0.weight");
            assertArrayEquals(new long[] {32, 4, 3, 3}, conv.shape());
            assertEquals(DType.F32, conv.dtype());
        }
    }

    @Test
    void fp16Checkpoint_equalsFp32WithinHalfRounding() throws Exception {
        try (SafetensorsFile f32 = SafetensorsFile.open(Fixtures.file("sd15-tiny/tiny.safetensors"));
             SafetensorsFile f16 = SafetensorsFile.open(Fixtures.file("sd15-tiny/tiny-fp16.safetensors"))) {
            assertEquals(f32.names(), f16.names());
            int floatTensors = 0;
            for (String name : f32.names()) {
                TensorInfo a = f32.info(name);
                TensorInfo b = f16.info(name);
                assertArrayEquals(a.shape(), b.shape(), name);
                if (a.dtype() != DType.F32) {
                    assertEquals(a.dtype(), b.dtype(), name);
                    assertArrayEquals(f32.readBytes(name), f16.readBytes(name), name);
                    continue;
                }
                assertEquals(DType.F16, b.dtype(), name);
                float[] x = f32.readFloats(name);
                float[] y = f16.readFloats(name);
                for (int i = 0; i < x.length; i++) {
                    // The file was made by round-to-nearest-even, which our encoder reproduces bit for bit.
                    float rounded = FloatFormats.f16ToFloat(FloatFormats.floatToF16(x[i]));
                    if (rounded != y[i]) {
                        throw new AssertionError(name + "[" + i + "]: f32 " + x[i] + " rounds to " + rounded + " but file has " + y[i]);
                    }
                }
                floatTensors++;
            }
            assertEquals(970, floatTensors);
        }
    }

    @Test
    void loraFile_hasScalarAlphasAndMetadata() throws Exception {
        try (SafetensorsFile sf = SafetensorsFile.open(Fixtures.file("sd15-tiny/lora.safetensors"))) {
            TensorInfo alpha = sf.info("lora_unet_down_blocks_0_resnets_0_conv1.alpha");
            assertEquals(0, alpha.rank());
            assertArrayEquals(new float[] {2f}, sf.readFloats(alpha.name()));
            assertTrue(sf.metadata().containsKey("ss_network_dim"), sf.metadata().toString());
        }
    }
}
