package dev.bakehouse.train.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bakehouse.lora.format.LbwBlock;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The CLI's view of --network_args is the network's own reading (block lr shapes etc. are tested with it). */
class LoraNetworkArgsTest {

    @Test
    void pairs_keepTheirOrder_andMeanWhatTheNetworkReads() {
        LoraNetworkArgs a = LoraNetworkArgs.parse(List.of("conv_dim=8", "rank_dropout=0.1", "train_blocks=IN04-IN05"));
        assertEquals(List.of("conv_dim", "rank_dropout", "train_blocks"), List.copyOf(a.raw().keySet()));
        assertEquals(Map.of("conv_dim", "8", "rank_dropout", "0.1", "train_blocks", "IN04-IN05"), a.raw());
        assertEquals(8, a.network().convDim());
        assertEquals(1f, a.network().convAlpha(), "conv_alpha defaults to 1 with conv_dim, as kohya");
        assertEquals(0.1f, a.network().rankDropout(), 1e-7f);
        assertEquals(EnumSet.of(LbwBlock.IN04, LbwBlock.IN05), a.network().blocks());
    }

    @Test
    void badItems_areErrorsNamingTheKey() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LoraNetworkArgs.parse(List.of("algo=lokr")))
                .getMessage().contains("algo"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LoraNetworkArgs.parse(List.of("conv_dim=x")))
                .getMessage().contains("conv_dim"));
        assertEquals("--network_args: 'conv_dim' is not KEY=VALUE",
                assertThrows(IllegalArgumentException.class, () -> LoraNetworkArgs.parse(List.of("conv_dim"))).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LoraNetworkArgs.parse(List.of("down_lr_weight=wave")))
                .getMessage().contains("down_lr_weight"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LoraNetworkArgs.parse(List.of("block_dims=4,4,4")))
                .getMessage().contains("block_dims"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LoraNetworkArgs.parse(List.of("train_blocks=OUT03-IN04")))
                .getMessage().contains("OUT03-IN04"));
    }
}
