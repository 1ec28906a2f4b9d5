package dev.bakehouse.train.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * kohya options pasted as text, as a TrainLoRA node's {@code kohya_args} takes them: a
 * {@code train_network.py} command line (with or without {@code accelerate launch … train_network.py}
 * in front, shell line continuations allowed), a kohya TOML config, or a kohya_ss GUI JSON config.
 * The format is recognised from the text: a JSON object starts with <code>{</code>, a command line with an
 * option or a launcher word, anything else is TOML. Values are converted and checked as the
 * command line and {@code --config_file} convert them; errors start with {@code source}.
 *
 * @param format              what the text was read as
 * @param given               the options it sets, by kohya name, converted to their types
 * @param inlineSamplePrompts sample prompt text a kohya_ss config holds, or null
 * @param notes               what was ignored while reading
 */
public record KohyaArgsText(Format format, Map<String, Object> given, String inlineSamplePrompts, List<String> notes) {

    public enum Format { EMPTY, COMMAND_LINE, TOML, KOHYA_SS_JSON }

    /** Words that start a pasted launch command rather than an option ({@code accelerate launch …}). */
    private static final Pattern LAUNCHER = Pattern.compile("^(accelerate|python[0-9.]*|bakehouse|\\S*train_network(\\.py)?)\\b");
    /** A TOML {@code key = value} line, which a launcher word may begin ({@code train_batch_size = 1}). */
    private static final Pattern TOML_KEY = Pattern.compile("^[A-Za-z0-9_.\"-]+\\s*=");
    /** A backslash at a line end continues the command on the next line, as in a shell script. */
    private static final Pattern CONTINUATION = Pattern.compile("\\\\\\r?\\n");

    public KohyaArgsText {
        given = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(given));
        notes = List.copyOf(notes);
    }

    /**
     * Reads pasted text.
     *
     * @param source names the text in errors (the node input, e.g. {@code kohya_args})
     * @throws ArgError naming the option or line that kohya would reject
     */
    public static KohyaArgsText parse(String text, String source) {
        String trimmed = text == null ? "" : text.strip();
        if (trimmed.isEmpty()) {
            return new KohyaArgsText(Format.EMPTY, Map.of(), null, List.of());
        }
        if (trimmed.startsWith("{")) {
            return fromConfig(Format.KOHYA_SS_JSON, KohyaConfigFiles.readText(source, trimmed, true), source);
        }
        String firstLine = trimmed.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#"))
                .findFirst().orElse("");
        if (firstLine.startsWith("-") || LAUNCHER.matcher(firstLine).find() && !TOML_KEY.matcher(firstLine).find()) {
            return commandLine(trimmed, source);
        }
        return fromConfig(Format.TOML, KohyaConfigFiles.readText(source, trimmed, false), source);
    }

    private static KohyaArgsText commandLine(String text, String source) {
        StringBuilder joined = new StringBuilder();
        for (String line : CONTINUATION.matcher(text).replaceAll(" ").split("\\R")) {
            if (!line.strip().startsWith("#")) {
                joined.append(line).append(' ');
            }
        }
        List<String> tokens = KohyaSsJson.tokenize(joined.toString(), source);
        int start = 0;
        for (int i = 0; i < tokens.size(); i++) {
            String t = tokens.get(i);
            if (t.endsWith("train_network.py") || t.equals("train_network") || t.equals("train")) {
                start = i + 1;
                break;
            }
        }
        List<String> argv = tokens.subList(start, tokens.size());
        if (!argv.isEmpty() && !argv.get(0).startsWith("-")) {
            throw new ArgError(source + ": a command line is train_network.py's options (--name value), optionally after "
                    + "'accelerate launch … train_network.py'; found '" + argv.get(0) + "' where an option was expected");
        }
        KohyaArgParser.Parsed parsed = KohyaArgParser.parse(argv);
        if (parsed.help()) {
            throw new ArgError(source + ": --help lists options on the command line (bakehouse train_network --help); "
                    + "it is no training option");
        }
        checkNoConfigFile(parsed.given(), source);
        return new KohyaArgsText(Format.COMMAND_LINE, parsed.given(), null, List.of());
    }

    private static KohyaArgsText fromConfig(Format format, ConfigValues config, String source) {
        Map<String, Object> given = new LinkedHashMap<>(config.given());
        if (!config.extraArgs().isEmpty()) {
            given.putAll(KohyaArgParser.parse(config.extraArgs()).given());
        }
        checkNoConfigFile(given, source);
        return new KohyaArgsText(format, given, config.inlineSamplePrompts(), new ArrayList<>(config.notes()));
    }

    /** A config file path means nothing to a node on another machine: the text itself is pasted. */
    private static void checkNoConfigFile(Map<String, Object> given, String source) {
        if (given.containsKey("config_file")) {
            throw new ArgError(source + ": --config_file " + given.get("config_file")
                    + " is not read here; paste the config file's text instead");
        }
    }
}
