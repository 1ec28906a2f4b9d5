package dev.bakehouse.train.config;

import dev.bakehouse.lora.network.NetworkOptions;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code --network_args} of {@code networks.lora}: the KEY=VALUE pairs as given (kohya writes them
 * to {@code ss_network_args} in that order) and what they mean to the network, read by the one
 * parser the network itself uses ({@link NetworkOptions#withNetworkArgs}: conv_dim/alpha, dropouts,
 * block dims/alphas, block lr weights with kohya's shapes and zero threshold, and Bakehouse's
 * {@code train_blocks}).
 *
 * @param raw     the pairs as given, in order
 * @param network kohya's defaults with these pairs applied (dim and alpha come from other flags)
 */
public record LoraNetworkArgs(Map<String, String> raw, NetworkOptions network) {

    public static final LoraNetworkArgs NONE = parse(List.of());

    /** Parses {@code KEY=VALUE} items; an unknown key or a malformed value is an error naming it. */
    public static LoraNetworkArgs parse(List<String> items) {
        Map<String, String> raw = new LinkedHashMap<>();
        for (String item : items) {
            int eq = item.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("--network_args: '" + item + "' is not KEY=VALUE");
            }
            raw.put(item.substring(0, eq).strip(), item.substring(eq + 1).strip());
        }
        try {
            return new LoraNetworkArgs(Collections.unmodifiableMap(raw), NetworkOptions.defaults().withNetworkArgs(items));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--network_args: " + e.getMessage(), e);
        }
    }
}
