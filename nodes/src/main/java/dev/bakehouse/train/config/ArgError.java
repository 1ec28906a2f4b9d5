package dev.bakehouse.train.config;

/**
 * A command line or config file {@code train_network.py} would reject, with argparse's wording
 * ({@code argument --seed: invalid int value: 'x'}, {@code unrecognized arguments: --foo}).
 * argparse exits with status 2 for these; so does {@code bakehouse train_network}.
 */
public final class ArgError extends IllegalArgumentException {
    public static final int EXIT_STATUS = 2;

    public ArgError(String message) {
        super(message);
    }
}
