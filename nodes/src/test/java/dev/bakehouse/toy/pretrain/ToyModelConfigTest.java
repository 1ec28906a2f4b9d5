package dev.bakehouse.toy.pretrain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bakehouse.model.ModelConfig;
import dev.bakehouse.model.ModelConfigs;
import dev.bakehouse.model.unet.UNet2DCondition;
import dev.bakehouse.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ToyModelConfigTest {
    @TempDir
    Path dir;

    @Test
    void toy_weights_fitThirtyMegabytesInFp16() {
        InitialWeights w = InitialWeights.of(ModelConfig.toy(), 1);
        long params = w.names().stream().mapToLong(n -> java.util.Arrays.stream(w.shape(n)).reduce(1, (a, b) -> a * b)).sum();
        long unet = count(w, UNet2DCondition.PREFIX);
        long text = count(w, "cond_stage_model.");
        long vae = count(w, "first_stage_model.");
        System.out.printf("toy parameters: %d (unet %d, text %d, vae %d), fp16 %.1f MB%n", params, unet, text, vae,
                params * 2 / 1e6);
        assertEquals(params, unet + text + vae);
        assertTrue(params * 2 <= 30_000_000, "fp16 bytes " + params * 2);
    }

    private static long count(InitialWeights w, String prefix) {
        return w.names().stream().filter(n -> n.startsWith(prefix))
                .mapToLong(n -> java.util.Arrays.stream(w.shape(n)).reduce(1, (a, b) -> a * b)).sum();
    }

    @Test
    void toy_keys_areSd15Keys_withTheWholeUNet() throws Exception {
        Set<String> sd15 = Files.readAllLines(Fixtures.file("sd15-keys.tsv")).stream().map(l -> l.split("\t")[0])
                .collect(Collectors.toSet());
        Set<String> toy = InitialWeights.of(ModelConfig.toy(), 1).names();
        Set<String> notSd15 = new TreeSet<>(toy);
        notSd15.removeAll(sd15);
        assertEquals(Set.of(), notSd15, "toy keys SD1.5 does not have");
        Set<String> sd15Unet = sd15.stream().filter(k -> k.startsWith(UNet2DCondition.PREFIX)).collect(Collectors.toSet());
        Set<String> toyUnet = toy.stream().filter(k -> k.startsWith(UNet2DCondition.PREFIX)).collect(Collectors.toSet());
        assertEquals(sd15Unet, toyUnet, "the UNet has every SD1.5 block, so LoRA modules and LBW blocks are SD1.5's");
    }

    @Test
    void sidecar_writtenAndRead_givesTheSameConfig() throws Exception {
        ModelConfig toy = ModelConfig.toy();
        ModelConfig scaled = new ModelConfig(toy.unet(), toy.text(), toy.vae().withScaleFactor(0.7345));
        Path file = dir.resolve("m.config.json");
        Files.writeString(file, ModelConfigs.toLdmJson(scaled));
        assertEquals(scaled, ModelConfigs.fromLdmJson(file));
        assertEquals(file, ModelConfigs.sidecarPath(dir.resolve("m.safetensors")));
    }

    @Test
    void initialWeights_sameSeedSameValues_residualClosersZero_normsOne() {
        InitialWeights a = InitialWeights.of(ModelConfig.toy(), 5);
        InitialWeights b = InitialWeights.of(ModelConfig.toy(), 5);
        String conv = "model.diffusion_model.input_blocks.1.0.in_layers.2.weight";
        assertArrayEquals(a.readFloats(conv), b.readFloats(conv));
        assertTrue(!java.util.Arrays.equals(a.readFloats(conv), InitialWeights.of(ModelConfig.toy(), 6).readFloats(conv)));
        for (float v : a.readFloats("model.diffusion_model.input_blocks.1.0.out_layers.3.weight")) {
            assertEquals(0f, v);
        }
        for (float v : a.readFloats("model.diffusion_model.out.2.weight")) {
            assertEquals(0f, v);
        }
        for (float v : a.readFloats("model.diffusion_model.input_blocks.1.0.in_layers.0.weight")) {
            assertEquals(1f, v);
        }
        float bound = (float) (1 / Math.sqrt(ModelConfig.toy().unet().modelChannels() * 9));
        for (float v : a.readFloats(conv)) {
            assertTrue(Math.abs(v) <= bound, "kaiming-uniform bound " + bound + ", got " + v);
        }
    }
}
