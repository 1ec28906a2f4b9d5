package dev.bakehouse.train.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@code --sample_prompts} as sd-scripts {@code load_prompts} does: a text file with one prompt
 * per line ({@code #} lines and blank lines skipped; options {@code --n --w --h --d --l --s --ss}
 * after {@code " --"}, case-insensitive), a {@code .toml} with a {@code [prompt]} table whose
 * {@code [[prompt.subset]]} entries are merged over it, or a {@code .json} list of objects or lines.
 * Object keys are kohya's: {@code prompt, negative_prompt, width, height, seed, sample_steps, scale,
 * sample_sampler}.
 */
public final class SamplePrompts {
    private SamplePrompts() {}

    private static final Pattern OPTION = Pattern.compile("(?i)^(ss|n|w|h|d|s|l|g|cn|ctr|rcfg|fs) (.+)$", Pattern.DOTALL);

    public static List<SamplePrompt> read(Path file) {
        try {
            String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
            if (name.endsWith(".toml")) {
                JsonNode prompt = new TomlMapper().readTree(file.toFile()).path("prompt");
                List<JsonNode> entries = new ArrayList<>();
                for (JsonNode subset : prompt.path("subset")) {
                    ObjectNode merged = ((ObjectNode) prompt.deepCopy()).without("subset");
                    merged.setAll((ObjectNode) subset);
                    entries.add(merged);
                }
                return fromNodes(file, entries);
            }
            if (name.endsWith(".json")) {
                List<JsonNode> entries = new ArrayList<>();
                new ObjectMapper().readTree(file.toFile()).forEach(entries::add);
                return fromNodes(file, entries);
            }
            return parseLines(Files.readString(file));
        } catch (IOException e) {
            throw new IllegalArgumentException("--sample_prompts: cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Prompts written one per line, as in a .txt file. */
    public static List<SamplePrompt> parseLines(String text) {
        List<SamplePrompt> prompts = new ArrayList<>();
        for (String line : text.split("\\R")) {
            if (!line.strip().isEmpty() && !line.startsWith("#")) {
                prompts.add(parseLine(prompts.size(), line.strip()));
            }
        }
        return prompts;
    }

    /** One line: the prompt, then {@code " --"}-separated options; unparsable values are skipped as kohya skips them. */
    public static SamplePrompt parseLine(int index, String line) {
        String[] parts = line.split(" --");
        Builder b = new Builder(index, parts[0]);
        for (int i = 1; i < parts.length; i++) {
            Matcher m = OPTION.matcher(parts[i]);
            if (!m.matches()) {
                continue;
            }
            String value = m.group(2);
            switch (m.group(1).toLowerCase(Locale.ROOT)) {
                case "n" -> b.negative = value;
                case "w" -> leadingDigits(value).ifPresent(v -> b.width = (int) (long) v);
                case "h" -> leadingDigits(value).ifPresent(v -> b.height = (int) (long) v);
                case "d" -> leadingDigits(value).ifPresent(v -> b.seed = Optional.of(v));
                case "s" -> leadingDigits(value).ifPresent(v -> b.steps = (int) Math.max(1, Math.min(1000, v)));
                case "l" -> leadingDecimal(value).ifPresent(v -> b.scale = v);
                case "ss" -> b.sampler = Optional.of(value);
                default -> { } // --g, --cn, --ctr, --rcfg, --fs belong to other model families
            }
        }
        return b.build();
    }

    private static List<SamplePrompt> fromNodes(Path file, List<JsonNode> entries) {
        List<SamplePrompt> prompts = new ArrayList<>();
        for (JsonNode entry : entries) {
            int index = prompts.size();
            if (entry.isTextual()) {
                prompts.add(parseLine(index, entry.textValue()));
                continue;
            }
            if (!entry.isObject()) {
                throw new IllegalArgumentException("--sample_prompts " + file + ": entry " + index + " is neither a prompt line nor an object");
            }
            Builder b = new Builder(index, entry.path("prompt").asText(""));
            b.negative = entry.path("negative_prompt").asText(null);
            b.width = entry.path("width").asInt(b.width);
            b.height = entry.path("height").asInt(b.height);
            b.steps = entry.path("sample_steps").asInt(b.steps);
            b.scale = entry.path("scale").asDouble(b.scale);
            b.seed = entry.hasNonNull("seed") ? Optional.of(entry.get("seed").asLong()) : Optional.empty();
            b.sampler = entry.hasNonNull("sample_sampler") ? Optional.of(entry.get("sample_sampler").asText()) : Optional.empty();
            prompts.add(b.build());
        }
        return prompts;
    }

    /** kohya matches {@code (\d+)} at the start of the value. */
    private static Optional<Long> leadingDigits(String value) {
        Matcher m = Pattern.compile("^(\\d+)").matcher(value);
        return m.find() ? Optional.of(Long.parseLong(m.group(1))) : Optional.empty();
    }

    /** kohya matches {@code ([\d.]+)} and then calls float(), which fails (and skips) on e.g. "7.5.1". */
    private static Optional<Double> leadingDecimal(String value) {
        Matcher m = Pattern.compile("^([\\d.]+)").matcher(value);
        if (!m.find()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Double.parseDouble(m.group(1)));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static final class Builder {
        final int index;
        final String prompt;
        String negative;
        int width = SamplePrompt.DEFAULT_SIZE;
        int height = SamplePrompt.DEFAULT_SIZE;
        int steps = SamplePrompt.DEFAULT_STEPS;
        double scale = SamplePrompt.DEFAULT_SCALE;
        Optional<Long> seed = Optional.empty();
        Optional<String> sampler = Optional.empty();

        Builder(int index, String prompt) {
            this.index = index;
            this.prompt = prompt;
        }

        SamplePrompt build() {
            return new SamplePrompt(index, prompt, negative == null ? "" : negative, width, height, steps, scale, seed, sampler);
        }
    }
}
