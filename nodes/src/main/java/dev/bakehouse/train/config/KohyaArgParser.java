package dev.bakehouse.train.config;

import dev.bakehouse.train.config.OptionSpec.ValueType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Parses a {@code train_network.py} command line the way Python's argparse does for kohya's parser:
 * {@code --opt value} and {@code --opt=value}, {@code store_true} flags, {@code nargs='*'} lists that
 * run to the next option, unique-prefix abbreviations, the last of repeated options winning, and
 * argparse's error texts. Values are converted and checked against their choices here.
 */
public final class KohyaArgParser {
    private KohyaArgParser() {}

    /** argparse's test for a token that is a negative number, and so a value, not an option. */
    private static final Pattern NEGATIVE_NUMBER = Pattern.compile("^-\\d+$|^-\\d*\\.\\d+$");
    /** What Python's {@code float()} accepts (decimal, exponent, inf, nan; underscores between digits). */
    private static final Pattern PY_FLOAT = Pattern.compile(
            "[+-]?((\\d(_?\\d)*)?\\.?\\d(_?\\d)*([eE][+-]?\\d(_?\\d)*)?|\\d(_?\\d)*\\.|inf(inity)?|nan)",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern PY_INT = Pattern.compile("[+-]?\\d(_?\\d)*");

    /** A parsed command line: the options given (by name, converted) and whether help was asked. */
    public record Parsed(Map<String, Object> given, boolean help) {}

    public static Parsed parse(List<String> args) {
        Map<String, Object> given = new LinkedHashMap<>();
        List<String> unrecognized = new ArrayList<>();
        boolean help = false;
        int i = 0;
        while (i < args.size()) {
            String token = args.get(i++);
            if (token.equals("--")) {
                unrecognized.addAll(args.subList(i, args.size()));
                break;
            }
            if (!looksLikeOption(token)) {
                unrecognized.add(token);
                continue;
            }
            int eq = token.indexOf('=');
            String name = eq < 0 ? token : token.substring(0, eq);
            String explicit = eq < 0 ? null : token.substring(eq + 1);
            if (name.equals("-h") || (name.length() > 2 && "--help".startsWith(name) && matches(name).isEmpty())) {
                help = true;
                continue;
            }
            OptionSpec spec = resolve(name);
            if (spec == null) {
                unrecognized.add(token);
                continue;
            }
            if (spec.type() == ValueType.FLAG) {
                if (explicit != null) {
                    throw new ArgError("argument " + spec.flag() + ": ignored explicit argument '" + explicit + "'");
                }
                given.put(spec.name(), Boolean.TRUE);
            } else if (spec.list()) {
                List<Object> values = new ArrayList<>();
                if (explicit != null) {
                    values.add(convert(spec, explicit));
                } else {
                    while (i < args.size() && !looksLikeOption(args.get(i)) && !args.get(i).equals("--")) {
                        values.add(convert(spec, args.get(i++)));
                    }
                }
                given.put(spec.name(), List.copyOf(values));
            } else {
                String value = explicit;
                if (value == null) {
                    if (i >= args.size() || looksLikeOption(args.get(i)) || args.get(i).equals("--")) {
                        throw new ArgError("argument " + spec.flag() + ": expected one argument");
                    }
                    value = args.get(i++);
                }
                given.put(spec.name(), convert(spec, value));
            }
        }
        if (!unrecognized.isEmpty() && !help) {
            throw new ArgError("unrecognized arguments: " + String.join(" ", unrecognized));
        }
        return new Parsed(given, help);
    }

    /** argparse's {@code _parse_optional}: is this token an option rather than a value? */
    static boolean looksLikeOption(String token) {
        if (token.isEmpty() || token.charAt(0) != '-' || token.length() == 1) {
            return false;
        }
        String name = token.contains("=") ? token.substring(0, token.indexOf('=')) : token;
        if (KohyaOptions.find(stripDashes(name)).isPresent() && name.startsWith("--")) {
            return true;
        }
        if (NEGATIVE_NUMBER.matcher(token).matches()) {
            return false;
        }
        return !token.contains(" ");
    }

    /** The option an option string names, exactly or as a unique prefix; {@code null} if none. */
    private static OptionSpec resolve(String name) {
        if (!name.startsWith("--")) {
            return null;
        }
        var exact = KohyaOptions.find(stripDashes(name));
        if (exact.isPresent()) {
            return exact.get();
        }
        List<OptionSpec> candidates = matches(name);
        if (candidates.size() > 1 || (candidates.size() == 1 && "--help".startsWith(name))) {
            String all = candidates.stream().map(OptionSpec::flag).collect(Collectors.joining(", "));
            throw new ArgError("ambiguous option: " + name + " could match " + ("--help".startsWith(name) ? "--help, " : "") + all);
        }
        return candidates.isEmpty() ? null : candidates.get(0);
    }

    private static List<OptionSpec> matches(String prefix) {
        String bare = stripDashes(prefix);
        if (!prefix.startsWith("--") || bare.isEmpty()) {
            return List.of();
        }
        return KohyaOptions.ALL.stream().filter(spec -> spec.name().startsWith(bare)).toList();
    }

    private static String stripDashes(String name) {
        return name.startsWith("--") ? name.substring(2) : name;
    }

    /**
     * Converts one value as argparse's {@code type=} would, then checks the choices.
     *
     * @throws ArgError {@code argument --x: invalid int value: 'y'} or {@code invalid choice}
     */
    static Object convert(OptionSpec spec, String raw) {
        Object value = switch (spec.type()) {
            case FLAG -> throw new IllegalStateException("flags take no value");
            case STRING -> raw;
            case INT -> parseInt(spec, raw);
            case FLOAT -> parseFloat(spec, raw);
            case INT_OR_FLOAT -> {
                try {
                    yield StepsOrRatio.parse(raw);
                } catch (NumberFormatException e) {
                    throw new ArgError("argument " + spec.flag() + ": '" + raw + "' is not an int or float");
                }
            }
        };
        if (!spec.choices().isEmpty() && !spec.choices().contains(String.valueOf(value))) {
            throw new ArgError("argument " + spec.flag() + ": invalid choice: " + quoted(value) + " (choose from "
                    + spec.choices().stream().map(c -> spec.type() == ValueType.STRING ? "'" + c + "'" : c)
                            .collect(Collectors.joining(", ")) + ")");
        }
        return value;
    }

    private static String quoted(Object value) {
        return value instanceof String s ? "'" + s + "'" : String.valueOf(value);
    }

    private static Integer parseInt(OptionSpec spec, String raw) {
        String text = raw.strip();
        if (PY_INT.matcher(text).matches()) {
            try {
                return Integer.parseInt(text.replace("_", ""));
            } catch (NumberFormatException tooLarge) {
                // falls through to the error below: Bakehouse counts in 32-bit ints
            }
        }
        throw new ArgError("argument " + spec.flag() + ": invalid int value: '" + raw + "'");
    }

    private static Double parseFloat(OptionSpec spec, String raw) {
        String text = raw.strip();
        if (!PY_FLOAT.matcher(text).matches()) {
            throw new ArgError("argument " + spec.flag() + ": invalid float value: '" + raw + "'");
        }
        String lower = text.toLowerCase(java.util.Locale.ROOT).replace("_", "");
        if (lower.contains("inf")) {
            return lower.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        if (lower.contains("nan")) {
            return Double.NaN;
        }
        return Double.parseDouble(lower);
    }
}
