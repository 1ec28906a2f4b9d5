package dev.bakehouse.train.config;

import java.util.List;

/**
 * One {@code train_network.py} option as argparse declares it, plus what Bakehouse does with it.
 *
 * @param name         the option without its dashes, which is also argparse's {@code dest}
 * @param group        where {@link TrainNetworkArgs} keeps it
 * @param type         how its value is converted
 * @param list         {@code nargs='*'}: takes every following value up to the next option
 * @param defaultValue kohya's default, already converted ({@code null} for {@code None})
 * @param choices      the allowed values as written on the command line; empty for any
 * @param status       used, accepted with a note, or refused when set
 * @param help         one line for {@code --help} (ours, not kohya's)
 */
public record OptionSpec(String name, Group group, ValueType type, boolean list, Object defaultValue,
        List<String> choices, Status status, String help) {

    /** The groups of {@code --help} and of {@link TrainNetworkArgs}. */
    public enum Group { MODEL, DATASET, NETWORK, OPTIMIZER, TRAINING, SAVING, SAMPLING, LOGGING }

    /** argparse's {@code type=} (and {@code store_true} for {@link #FLAG}). */
    public enum ValueType {
        FLAG("", "flag"), STRING("STR", "a string"), INT("INT", "an int"), FLOAT("FLOAT", "a float"),
        INT_OR_FLOAT("N", "an int or a float (ratio)");

        final String metavar;
        final String expected;

        ValueType(String metavar, String expected) {
            this.metavar = metavar;
            this.expected = expected;
        }
    }

    /** What Bakehouse does with an option. */
    public sealed interface Status {}

    /** Read and acted on. */
    public record Used() implements Status {}

    /** Accepted because it means nothing here; {@code note} says what happens instead. */
    public record Ignored(String note) implements Status {}

    /** Refused when set to anything but its default; {@code reason} says why. */
    public record Refused(String reason) implements Status {}

    static final Status USED = new Used();

    static Status ignored(String note) {
        return new Ignored(note);
    }

    static Status refused(String reason) {
        return new Refused(reason);
    }

    public String flag() {
        return "--" + name;
    }
}
