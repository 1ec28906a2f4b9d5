package dev.bakehouse.train.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LoraNetworkArgsTest {
    @Test
    void convDimWithoutAlpha_defaultsAlphaToOne() {
        LoraNetworkArgs a = LoraNetworkArgs.parse(List.of("conv_dim=8", "rank_dropout=0.1", "module_dropout=0.2"));
        assertEquals(Optional.of(8), a.convDim());
        assertEquals(Optional.of(1.0), a.convAlpha());
        assertEquals(Optional.of(0.1), a.rankDropout());
        assertEquals(Optional.of(0.2), a.moduleDropout());
    }

    @Test
    void blockLrWeights_listsShapesPaddingAndThreshold() {
        LoraNetworkArgs a = LoraNetworkArgs.parse(List.of("down_lr_weight=0,0,0,0,1,1,1,1,0,0,0,0", "mid_lr_weight=0",
                "up_lr_weight=0,0,0,1,1,1,1", "block_lr_zero_threshold=0.5"));
        List<Double> w = a.blockLrWeights();
        assertEquals(25, w.size());
        assertEquals(List.of(0.0, 0.0, 0.0, 0.0, 1.0, 1.0, 1.0, 1.0, 0.0, 0.0, 0.0, 0.0), w.subList(0, 12));
        assertEquals(0.0, w.get(12));
        assertEquals(List.of(0.0, 0.0, 0.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0), w.subList(13, 25));
        assertTrue(a.warnings().get(0).startsWith("up_lr_weight has 7 values"));

        List<Double> sine = LoraNetworkArgs.parse(List.of("down_lr_weight=sine+.5")).blockLrWeights();
        assertEquals(0.5, sine.get(0), 1e-12);
        assertEquals(1.5, sine.get(11), 1e-12);
        assertEquals(Math.sin(Math.PI * (5 / 11.0) / 2) + 0.5, sine.get(5), 1e-12);
        assertEquals(Collections.nCopies(13, 1.0), sine.subList(12, 25));
        List<Double> cosine = LoraNetworkArgs.parse(List.of("up_lr_weight=cosine")).blockLrWeights();
        assertEquals(1.0, cosine.get(13), 1e-12);
        assertEquals(0.0, cosine.get(24), 1e-12);
    }

    @Test
    void blockDims_needTwentyFiveValues() {
        String dims = String.join(",", Collections.nCopies(25, "4"));
        assertEquals(Collections.nCopies(25, 4), LoraNetworkArgs.parse(List.of("block_dims=" + dims)).blockDims());
        assertEquals("--network_args block_dims: expected 25 comma-separated values (IN00..IN11, M00, OUT00..OUT11), found 3",
                assertThrows(IllegalArgumentException.class, () -> LoraNetworkArgs.parse(List.of("block_dims=4,4,4"))).getMessage());
    }

    @Test
    void trainBlocks_rangesInLbwOrder() {
        BlockSelection s = LoraNetworkArgs.parse(List.of("train_blocks=IN04-IN07,OUT03-OUT06")).trainBlocks().orElseThrow();
        assertEquals(Set.of("IN04", "IN05", "IN06", "IN07", "OUT03", "OUT04", "OUT05", "OUT06"), s.blocks());
        assertEquals(Set.of("IN11", "M00", "OUT00"), BlockSelection.parse("in11-out00").blocks());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> BlockSelection.parse("IN04-IN99")).getMessage()
                .contains("unknown block 'IN99'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> BlockSelection.parse("OUT03-IN04")).getMessage()
                .contains("runs backwards"));
    }

    @Test
    void badItems_areErrorsNamingTheKey() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LoraNetworkArgs.parse(List.of("algo=lokr"))).getMessage()
                .startsWith("--network_args: unknown key 'algo' for networks.lora"));
        assertEquals("--network_args conv_dim: expected an int, found 'x'",
                assertThrows(IllegalArgumentException.class, () -> LoraNetworkArgs.parse(List.of("conv_dim=x"))).getMessage());
        assertEquals("--network_args: 'conv_dim' is not KEY=VALUE",
                assertThrows(IllegalArgumentException.class, () -> LoraNetworkArgs.parse(List.of("conv_dim"))).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LoraNetworkArgs.parse(List.of("down_lr_weight=wave"))).getMessage()
                .contains("neither a comma list nor one of cosine"));
    }
}
