package dev.bakehouse.node.sd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.types.Shape;
import dev.bakehouse.node.InputSpec;
import dev.bakehouse.node.NodeInputs;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EmptyLatentImageTest {
    private static Latent latent(long width, long height, long batch) {
        NodeInputs inputs = new NodeInputs("EmptyLatentImage #5",
                Map.of("width", width, "height", height, "batch_size", batch));
        return (Latent) new EmptyLatentImage().execute(inputs, null).outputs().get(0);
    }

    @Test
    void execute_sizesAreAnEighthOfThePixels_roundedDown_zeroFilled() {
        assertEquals(new Shape(1, 4, 8, 8), latent(64, 64, 1).samples().shape());
        assertEquals(new Shape(3, 4, 5, 9), latent(72, 40, 3).samples().shape());
        assertEquals(new Shape(2, 4, 2, 2), latent(23, 16, 2).samples().shape()); // 23 // 8 = 2, as ComfyUI
        assertEquals(HostTensor.zeros(2, 4, 2, 2), latent(16, 16, 2).samples());
    }

    @Test
    void spec_hasComfyRangesAndStep8() {
        InputSpec.IntInput width = (InputSpec.IntInput) new EmptyLatentImage().spec().input("width");
        assertEquals(512, width.defaultValue().longValue());
        assertEquals(16, width.min().longValue());
        assertEquals(16384, width.max().longValue());
        assertEquals(8, width.step());
        InputSpec.IntInput batch = (InputSpec.IntInput) new EmptyLatentImage().spec().input("batch_size");
        assertEquals(4096, batch.max().longValue());
    }

    @Test
    void execute_belowOneLatentPixel_isRefusedNamingTheSizes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> latent(4, 64, 1));
        assertEquals(true, e.getMessage().contains("4x64"), e.getMessage());
    }
}
