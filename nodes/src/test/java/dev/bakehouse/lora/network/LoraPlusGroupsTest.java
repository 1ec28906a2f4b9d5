package dev.bakehouse.lora.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bakehouse.model.StableDiffusion;
import dev.bakehouse.train.optim.ParamGroup;
import dev.bakehouse.train.optim.TrainableParam;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** LoRA+ param groups as kohya's {@code networks/lora.py} {@code prepare_optimizer_params} forms them. */
class LoraPlusGroupsTest {
    private static TinyTrainFixture fixture;
    private static StableDiffusion model;

    @BeforeAll
    static void load() throws Exception {
        fixture = TinyTrainFixture.open();
        model = fixture.model();
    }

    @AfterAll
    static void close() throws Exception {
        TinyTrainFixture.close(fixture);
    }

    private static Map<String, ParamGroup> groups(List<String> networkArgs, Double teLr, Double unetLr, double lr) {
        NetworkOptions options = NetworkOptions.defaults().withNetworkArgs(networkArgs);
        try (TrainableLoraNetwork net = TrainableLoraNetwork.create(model, options, new SplittableRandom(1), null)) {
            Map<String, ParamGroup> out = new LinkedHashMap<>();
            net.paramGroups(teLr, unetLr, lr).forEach(g -> out.put(g.name(), g));
            int total = out.values().stream().mapToInt(g -> g.params().size()).sum();
            assertEquals(2 * net.layers().size(), total, "every factor in exactly one group");
            return out;
        }
    }

    private static boolean allUp(ParamGroup g) {
        return g.params().stream().map(TrainableParam::name).allMatch(n -> n.endsWith(".lora_up.weight"));
    }

    private static boolean noUp(ParamGroup g) {
        return g.params().stream().map(TrainableParam::name).noneMatch(n -> n.endsWith(".lora_up.weight"));
    }

    @Test
    void loraplusLrRatio_putsLoraUpInPlusGroupsAtLrTimesRatio_inKohyasOrder() {
        Map<String, ParamGroup> g = groups(List.of("loraplus_lr_ratio=16"), 5e-5, 1e-4, 1e-3);
        assertEquals(List.of("textencoder", "textencoder plus", "unet", "unet plus"), List.copyOf(g.keySet()));
        assertEquals(5e-5, g.get("textencoder").baseLr());
        assertEquals(5e-5 * 16, g.get("textencoder plus").baseLr(), 1e-15);
        assertEquals(1e-4, g.get("unet").baseLr());
        assertEquals(1e-4 * 16, g.get("unet plus").baseLr(), 1e-15);
        assertTrue(noUp(g.get("textencoder")) && noUp(g.get("unet")), "lora_down stays in the plain groups");
        assertTrue(allUp(g.get("textencoder plus")) && allUp(g.get("unet plus")), "lora_up in the plus groups");
    }

    @Test
    void partRatios_overrideTheCommonOne_andAZeroPartRatioFallsBackAsPythonsOr() {
        Map<String, ParamGroup> g = groups(List.of("loraplus_lr_ratio=4", "loraplus_unet_lr_ratio=8"), null, null, 1e-3);
        assertEquals(4e-3, g.get("textencoder plus").baseLr(), 1e-15);
        assertEquals(8e-3, g.get("unet plus").baseLr(), 1e-15);
        Map<String, ParamGroup> unetOnly = groups(List.of("loraplus_unet_lr_ratio=2"), null, null, 1e-3);
        assertEquals(List.of("textencoder", "unet", "unet plus"), List.copyOf(unetOnly.keySet()),
                "no text encoder ratio: its lora_up stays with lora_down");
        Map<String, ParamGroup> zero = groups(List.of("loraplus_lr_ratio=3", "loraplus_text_encoder_lr_ratio=0"), null,
                null, 1e-3);
        assertEquals(3e-3, zero.get("textencoder plus").baseLr(), 1e-15, "0 is falsy in kohya's `or`");
    }

    @Test
    void withBlockLrWeights_eachBlockGroupIsFollowedByItsPlusGroup_andZeroLrGroupsAreLeftOut() {
        Map<String, ParamGroup> g = groups(List.of("loraplus_unet_lr_ratio=10", "down_lr_weight=0,0,0,0,0,0,0,0,0,0,0,0",
                "mid_lr_weight=0.5", "up_lr_weight=1,1,1,1,1,1,2"), null, 1e-4, 1e-3);
        assertEquals(0.5e-4, g.get("unet_M00").baseLr(), 1e-15);
        assertEquals(0.5e-3, g.get("unet_M00 plus").baseLr(), 1e-15);
        assertEquals(2e-3, g.get("unet_OUT06 plus").baseLr(), 1e-15);
        List<String> names = List.copyOf(g.keySet());
        assertEquals(names.indexOf("unet_M00") + 1, names.indexOf("unet_M00 plus"));
        assertTrue(names.stream().noneMatch(n -> n.startsWith("unet_IN")), "lr 0 blocks and their plus groups: " + names);
        assertTrue(allUp(g.get("unet_OUT06 plus")) && noUp(g.get("unet_OUT06")));
    }

    @Test
    void badRatio_isAnErrorNamingTheKey() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NetworkOptions.defaults().withNetworkArgs(List.of("loraplus_lr_ratio=abc")));
        assertTrue(e.getMessage().contains("loraplus_lr_ratio"), e.getMessage());
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
                () -> NetworkOptions.defaults().withNetworkArgs(List.of("loraplus_unet_lr_ratio=-1")));
        assertTrue(negative.getMessage().startsWith("loraplus_unet_lr_ratio: expected a ratio"), negative.getMessage());
    }
}
