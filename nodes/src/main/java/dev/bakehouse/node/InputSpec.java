package dev.bakehouse.node;

import java.math.BigInteger;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * One declared input of a node: a widget (INT, FLOAT, STRING, BOOLEAN, combo) or a typed socket.
 *
 * <p>Each variant knows what {@code /object_info} shows for it and how the validator coerces and
 * range-checks a literal written into a prompt. Inputs are immutable; the {@code with…} methods
 * return changed copies so a spec reads as one expression.
 */
public sealed interface InputSpec
        permits InputSpec.IntInput, InputSpec.FloatInput, InputSpec.StringInput,
                InputSpec.BooleanInput, InputSpec.ComboInput, InputSpec.SocketInput {

    /** The input's key in a prompt's {@code inputs} object. */
    String name();

    /** The type name shown in {@code /object_info} (for a combo: {@code COMBO}). */
    DataType type();

    /** Help text shown by editors, or {@code null}. */
    String tooltip();

    /**
     * An integer widget. ComfyUI's INT is Python's unbounded {@code int} and its seeds span
     * 0 .. 2^64-1, so the default and the inclusive {@code min}/{@code max} are
     * {@link BigInteger}s; {@code /object_info} shows them as exact JSON integers.
     * {@code controlAfterGenerate} is tri-state: {@code null} leaves it out of {@code /object_info}
     * (editors then apply the legacy rule: an INT named {@code seed}/{@code noise_seed} gets the
     * companion), {@code false} is written to opt such an input out of it.
     */
    record IntInput(String name, BigInteger defaultValue, BigInteger min, BigInteger max, long step,
                    Boolean controlAfterGenerate, String tooltip) implements InputSpec {
        /** 2^64-1, the largest seed ComfyUI accepts (KSampler's {@code seed} max). */
        public static final BigInteger UINT64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

        public IntInput {
            requireName(name);
            Objects.requireNonNull(defaultValue, "defaultValue");
            Objects.requireNonNull(min, "min");
            Objects.requireNonNull(max, "max");
            if (min.compareTo(max) > 0) {
                throw new IllegalArgumentException(
                        "input '" + name + "': min " + min + " is above max " + max);
            }
            if (defaultValue.compareTo(min) < 0 || defaultValue.compareTo(max) > 0) {
                throw new IllegalArgumentException("input '" + name + "': default " + defaultValue
                        + " is outside [" + min + ", " + max + "]");
            }
        }

        /** An integer input with step 1 and no tooltip. */
        public static IntInput of(String name, long defaultValue, long min, long max) {
            return of(name, BigInteger.valueOf(defaultValue), BigInteger.valueOf(min), BigInteger.valueOf(max));
        }

        /** An integer input with step 1 and no tooltip, for bounds beyond the {@code long} range. */
        public static IntInput of(String name, BigInteger defaultValue, BigInteger min, BigInteger max) {
            return new IntInput(name, defaultValue, min, max, 1, null, null);
        }

        /**
         * A ComfyUI seed: default 0, range 0 .. {@link #UINT64_MAX}, with "control after
         * generate". Nodes read it with {@link NodeInputs#getSeed(String)}.
         */
        public static IntInput seed(String name) {
            return of(name, BigInteger.ZERO, BigInteger.ZERO, UINT64_MAX).withControlAfterGenerate();
        }

        public IntInput withStep(long newStep) {
            return new IntInput(name, defaultValue, min, max, newStep, controlAfterGenerate, tooltip);
        }

        /** Adds the editor's "control after generate" companion widget (seeds). */
        public IntInput withControlAfterGenerate() {
            return new IntInput(name, defaultValue, min, max, step, true, tooltip);
        }

        /**
         * Declares that this input has no "control after generate" companion, even when its name
         * is one the editors' legacy rule would give one (a training seed must stay fixed, or
         * every queue retrains).
         */
        public IntInput withoutControlAfterGenerate() {
            return new IntInput(name, defaultValue, min, max, step, false, tooltip);
        }

        public IntInput withTooltip(String text) {
            return new IntInput(name, defaultValue, min, max, step, controlAfterGenerate, text);
        }

        @Override
        public DataType type() {
            return DataType.INT;
        }
    }

    /**
     * A floating-point widget. {@code round} is the editor's rounding precision, or {@code null}
     * to leave it out of {@code /object_info}.
     */
    record FloatInput(String name, double defaultValue, double min, double max, double step,
                      Double round, String tooltip) implements InputSpec {
        public FloatInput {
            requireName(name);
            if (min > max) {
                throw new IllegalArgumentException(
                        "input '" + name + "': min " + min + " is above max " + max);
            }
            if (defaultValue < min || defaultValue > max) {
                throw new IllegalArgumentException("input '" + name + "': default " + defaultValue
                        + " is outside [" + min + ", " + max + "]");
            }
        }

        /** A float input with step 0.01 and no rounding or tooltip. */
        public static FloatInput of(String name, double defaultValue, double min, double max) {
            return new FloatInput(name, defaultValue, min, max, 0.01, null, null);
        }

        public FloatInput withStep(double newStep) {
            return new FloatInput(name, defaultValue, min, max, newStep, round, tooltip);
        }

        public FloatInput withRound(double precision) {
            return new FloatInput(name, defaultValue, min, max, step, precision, tooltip);
        }

        public FloatInput withTooltip(String text) {
            return new FloatInput(name, defaultValue, min, max, step, round, text);
        }

        @Override
        public DataType type() {
            return DataType.FLOAT;
        }
    }

    /**
     * A text widget.
     *
     * @param multiline      a text area instead of a one-line field
     * @param dynamicPrompts the editor expands {@code {a|b}} choices and comments before queueing
     *                       (ComfyUI's {@code dynamicPrompts}); the server receives plain text
     */
    record StringInput(String name, String defaultValue, boolean multiline, boolean dynamicPrompts, String tooltip)
            implements InputSpec {
        public StringInput {
            requireName(name);
            Objects.requireNonNull(defaultValue, "defaultValue");
        }

        public static StringInput of(String name, String defaultValue) {
            return new StringInput(name, defaultValue, false, false, null);
        }

        public StringInput withMultiline() {
            return new StringInput(name, defaultValue, true, dynamicPrompts, tooltip);
        }

        public StringInput withDynamicPrompts() {
            return new StringInput(name, defaultValue, multiline, true, tooltip);
        }

        public StringInput withTooltip(String text) {
            return new StringInput(name, defaultValue, multiline, dynamicPrompts, text);
        }

        @Override
        public DataType type() {
            return DataType.STRING;
        }
    }

    /** A checkbox widget; {@code labelOn}/{@code labelOff} may be {@code null}. */
    record BooleanInput(String name, boolean defaultValue, String labelOn, String labelOff,
                        String tooltip) implements InputSpec {
        public BooleanInput {
            requireName(name);
        }

        public static BooleanInput of(String name, boolean defaultValue) {
            return new BooleanInput(name, defaultValue, null, null, null);
        }

        public BooleanInput withLabels(String on, String off) {
            return new BooleanInput(name, defaultValue, on, off, tooltip);
        }

        public BooleanInput withTooltip(String text) {
            return new BooleanInput(name, defaultValue, labelOn, labelOff, text);
        }

        @Override
        public DataType type() {
            return DataType.BOOLEAN;
        }
    }

    /**
     * A choice among options. The options are computed each time they are asked for (for example
     * the files currently in a folder), so {@code /object_info} and validation always see the
     * present state. Shown in the classic form {@code [[options…], {…}]}.
     *
     * @param defaultValue the default option, or {@code null} for "the first option"
     * @param imageUpload  adds the editor's upload button ({@code image_upload: true})
     */
    record ComboInput(String name, Supplier<List<String>> options, String defaultValue,
                      boolean imageUpload, String tooltip) implements InputSpec {
        public ComboInput {
            requireName(name);
            Objects.requireNonNull(options, "options");
        }

        /** A combo over a fixed list of options. */
        public static ComboInput of(String name, List<String> options) {
            List<String> fixed = List.copyOf(options);
            return new ComboInput(name, () -> fixed, null, false, null);
        }

        /** A combo whose options are computed on every request (files, models, …). */
        public static ComboInput dynamic(String name, Supplier<List<String>> options) {
            return new ComboInput(name, options, null, false, null);
        }

        public ComboInput withDefault(String option) {
            return new ComboInput(name, options, option, imageUpload, tooltip);
        }

        public ComboInput withImageUpload() {
            return new ComboInput(name, options, defaultValue, true, tooltip);
        }

        public ComboInput withTooltip(String text) {
            return new ComboInput(name, options, defaultValue, imageUpload, text);
        }

        /** The options as of now. */
        public List<String> currentOptions() {
            return List.copyOf(options.get());
        }

        @Override
        public DataType type() {
            return DataType.COMBO;
        }
    }

    /** A socket that takes a link from an upstream output of a compatible type. */
    record SocketInput(String name, DataType type, String tooltip)
            implements InputSpec {
        public SocketInput {
            requireName(name);
            Objects.requireNonNull(type, "type");
        }

        public static SocketInput of(String name, DataType type) {
            return new SocketInput(name, type, null);
        }

        public SocketInput withTooltip(String text) {
            return new SocketInput(name, type, text);
        }
    }

    private static void requireName(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("an input needs a non-blank name");
        }
    }
}
