package dev.bakehouse.lora.lbw;

import dev.bakehouse.lora.lbw.LbwEntry.Dialect;
import dev.bakehouse.lora.ops.LoraBlockWeights;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * Named block weight vectors: the built-in presets of the LoRA Block Weight extension
 * ({@code DEF_WEIGHT_PRESET}) and of the Inspire pack ({@code resources/lbw-preset.txt}), then
 * user preset files in their shared format, one {@code NAME:v,v,…} per line (the extension's
 * {@code lbwpresets.txt}, Inspire's {@code lbw-preset.custom.txt}). A later definition of a name
 * replaces an earlier one. Immutable.
 *
 * <p>File rules, as both tools read them: blank lines and lines containing {@code #} are comments
 * (the extension's rule), lines starting with {@code @} are Inspire's XY-plot specs and skipped.
 * Every other line must be a name, a colon and at least 12 entries each a number or a letter one of
 * the tools knows; unlike the tools, which skip such a line silently, a bad line is an error naming
 * the file and line, so a typo never quietly turns a preset off.
 */
public final class LbwPresets {
    /** The extension's built-in presets, in its order (17 values; FLUXALL 61). */
    public static final Map<String, String> EXTENSION = ordered(
            "NONE", "0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0",
            "ALL", "1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1",
            "INS", "1,1,1,1,0,0,0,0,0,0,0,0,0,0,0,0,0",
            "IND", "1,0,0,0,1,1,1,0,0,0,0,0,0,0,0,0,0",
            "INALL", "1,1,1,1,1,1,1,0,0,0,0,0,0,0,0,0,0",
            "MIDD", "1,0,0,0,1,1,1,1,1,1,1,1,0,0,0,0,0",
            "OUTD", "1,0,0,0,0,0,0,0,1,1,1,1,0,0,0,0,0",
            "OUTS", "1,0,0,0,0,0,0,0,0,0,0,0,1,1,1,1,1",
            "OUTALL", "1,0,0,0,0,0,0,0,1,1,1,1,1,1,1,1,1",
            "ALL0.5", "0.5,0.5,0.5,0.5,0.5,0.5,0.5,0.5,0.5,0.5,0.5,0.5,0.5,0.5,0.5,0.5,0.5",
            "FLUXALL", String.join(",", Collections.nCopies(61, "1")));

    /**
     * The Inspire pack's built-in SD1 and SDXL presets. Its LyC vectors have 27 (SD1) and 21 (SDXL)
     * entries because it gives each middle-block part its own entry; its FLUX presets are left out.
     */
    public static final Map<String, String> INSPIRE = ordered(
            "SD-NONE", "0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0",
            "SD-ALL", "1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1",
            "SD-INS", "1,1,1,1,0,0,0,0,0,0,0,0,0,0,0,0,0",
            "SD-IND", "1,0,0,0,1,1,1,0,0,0,0,0,0,0,0,0,0",
            "SD-INALL", "1,1,1,1,1,1,1,0,0,0,0,0,0,0,0,0,0",
            "SD-MIDD", "1,0,0,0,1,1,1,1,1,1,1,1,0,0,0,0,0",
            "SD-MIDD0.2", "1,0,0,0,0,0,0.2,0.4,0.4,0.2,0,0,0,0,0,0,0",
            "SD-MIDD0.8", "1,0,0,0,0,0.5,0.8,0.8,0.4,0,0,0,0,0,0,0,0",
            "SD-MOUT", "1,0,0,0,0,0,1,1,1,1,1,1,1,1,0.5,0,0",
            "SD-OUTD", "1,0,0,0,0,0,0,0,1,1,1,1,0,0,0,0,0",
            "SD-OUTS", "1,0,0,0,0,0,0,0,0,0,0,0,1,1,1,1,1",
            "SD-OUTALL", "1,0,0,0,0,0,0,0,1,1,1,1,1,1,1,1,1",
            "SD-ROUT", "1,1,1,1,1,1,1,1,R,R,R,R,R,R,R,R,R",
            "SD-AOUT", "A,1,1,1,1,1,1,1,1,1,1,1,A,A,A,A,A",
            "SD-AB", "A,B,B,B,B,B,B,B,B,B,B,B,A,A,A,A,A",
            "SD-ALL0.5", "0.5,0.5,0.5,0.5,0.5,0.5,0.5,0.5,0.5,0.5,0.5,0.5,0.5,0.5,0.5,0.5,0.5",
            "SD-LyC-NONE", String.join(",", Collections.nCopies(27, "0")),
            "SD-LyC-ALL", String.join(",", Collections.nCopies(27, "1")),
            "SD-LyC-INALL", "1,1,1,1,1,1,1,1,1,1,1,1,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0",
            "SD-LyC-MIDALL", "1,0,0,0,0,0,0,0,0,0,0,0,1,1,1,0,0,0,0,0,0,0,0,0,0,0,0",
            "SD-LyC-OUTALL", "1,0,0,0,0,0,0,0,0,0,0,0,0,0,0,1,1,1,1,1,1,1,1,1,1,1,1",
            "SDXL-NONE", "0,0,0,0,0,0,0,0,0,0,0,0",
            "SDXL-ALL", "1,1,1,1,1,1,1,1,1,1,1,1",
            "SDXL-INALL", "1,1,1,1,1,0,0,0,0,0,0,0",
            "SDXL-MIDALL", "1,0,0,0,0,1,0,0,0,0,0,0",
            "SDXL-OUTALL", "1,0,0,0,0,0,1,1,1,1,1,1",
            "SDXL-LyC-NONE", String.join(",", Collections.nCopies(21, "0")),
            "SDXL-LyC-ALL", String.join(",", Collections.nCopies(21, "1")),
            "SDXL-LyC-INALL", "1,1,1,1,1,1,1,1,1,0,0,0,0,0,0,0,0,0,0,0,0",
            "SDXL-LyC-MIDALL", "1,0,0,0,0,0,0,0,0,1,1,1,0,0,0,0,0,0,0,0,0",
            "SDXL-LyC-OUTALL", "1,0,0,0,0,0,0,0,0,0,0,0,1,1,1,1,1,1,1,1,1");

    /** The fewest entries a preset line may have (Inspire's minimum; the extension's shortest form). */
    static final int MIN_ENTRIES = 12;

    private static final LbwPresets BUILT_IN = new LbwPresets(merged(EXTENSION, INSPIRE), List.of());

    private final Map<String, String> byName;
    private final List<Path> files;

    private LbwPresets(Map<String, String> byName, List<Path> files) {
        this.byName = Collections.unmodifiableMap(byName);
        this.files = List.copyOf(files);
    }

    /** The extension's and the Inspire pack's presets. */
    public static LbwPresets builtIn() {
        return BUILT_IN;
    }

    /** These presets plus those of each existing file, in order (later names win). */
    public LbwPresets withFiles(List<Path> presetFiles) throws IOException {
        Map<String, String> all = new LinkedHashMap<>(byName);
        List<Path> read = new ArrayList<>(files);
        for (Path file : presetFiles) {
            if (Files.isRegularFile(file)) {
                all.putAll(parseFile(Files.readString(file, StandardCharsets.UTF_8), file.toString()));
                read.add(file);
            }
        }
        return new LbwPresets(all, read);
    }

    /**
     * The presets of one file's text.
     *
     * @param source the file, for errors ({@code source:line: …})
     */
    public static Map<String, String> parseFile(String text, String source) {
        Map<String, String> out = new LinkedHashMap<>();
        String[] lines = text.split("\\R", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.contains("#") || line.startsWith("@")) {
                continue;
            }
            String where = source + ":" + (i + 1);
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException(where + ": expected NAME:v,v,… (a preset name, a colon, the values), "
                        + "found '" + line + "'");
            }
            String name = line.substring(0, colon).strip();
            String vector = line.substring(colon + 1).strip();
            checkEntries(vector, where + ": preset " + name);
            out.put(name, vector);
        }
        return out;
    }

    private static void checkEntries(String vector, String what) {
        String[] parts = vector.split(",", -1);
        if (parts.length < MIN_ENTRIES) {
            throw new IllegalArgumentException(what + ": " + parts.length + " values; a block weight preset has "
                    + "17 or 26 (SD1), 12 or 20 (SDXL), or Inspire's per-block count");
        }
        for (int i = 0; i < parts.length; i++) {
            if (LbwEntry.parse(parts[i], Dialect.EXTENSION) == null && LbwEntry.parse(parts[i], Dialect.INSPIRE) == null) {
                throw new IllegalArgumentException(what + ": value " + (i + 1) + " ('" + parts[i].strip()
                        + "') is not a number or one of R, U, X, X+n, X-n, A, a, B, b");
            }
        }
    }

    /** Preset names in definition order. */
    public List<String> names() {
        return List.copyOf(byName.keySet());
    }

    /** The files read, in order. */
    public List<Path> files() {
        return files;
    }

    /** The vector text of a preset: the exact name, else the one name equal ignoring case. */
    public Optional<String> vector(String name) {
        String exact = byName.get(name.strip());
        if (exact != null) {
            return Optional.of(exact);
        }
        List<String> loose = byName.keySet().stream().filter(n -> n.equalsIgnoreCase(name.strip())).toList();
        return loose.size() == 1 ? Optional.of(byName.get(loose.get(0))) : Optional.empty();
    }

    /**
     * A preset name or a comma-separated vector, as after {@code lbw=} in a prompt, parsed in
     * {@code dialect}.
     *
     * @throws IllegalArgumentException for a name that is no preset (listing the known ones and the
     *                                  files read) or a bad vector
     */
    public LbwVector parse(String presetOrVector, Dialect dialect, String what) {
        String text = presetOrVector.strip();
        Optional<String> preset = vector(text);
        if (preset.isPresent()) {
            return LbwVector.parse(preset.get(), dialect, what + " (preset " + text + ")");
        }
        if (!text.contains(",")) {
            throw new IllegalArgumentException(what + ": '" + text + "' is not a block weight preset; known: "
                    + String.join(", ", byName.keySet()) + (files.isEmpty() ? " (no user preset file found)"
                    : " (user presets read from " + files + ")"));
        }
        return LbwVector.parse(text, dialect, what);
    }

    /**
     * A preset name or vector read as the extension reads {@code lbw=} (X = 1), with R and U drawn
     * from {@code random}.
     */
    public LoraBlockWeights blockWeights(String presetOrVector, String what, RandomGenerator random) {
        return parse(presetOrVector, Dialect.EXTENSION, what)
                .blockWeights(new LbwEntry.Context(Dialect.EXTENSION, random, 1f, 0f, 0f), what);
    }

    /** {@link #blockWeights(String, String, RandomGenerator)} with R and U drawn from seed 0, so a run repeats. */
    public LoraBlockWeights blockWeights(String presetOrVector, String what) {
        return blockWeights(presetOrVector, what, new SplittableRandom(0));
    }

    private static Map<String, String> ordered(String... nameVector) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < nameVector.length; i += 2) {
            m.put(nameVector[i], nameVector[i + 1]);
        }
        return Collections.unmodifiableMap(m);
    }

    private static Map<String, String> merged(Map<String, String> a, Map<String, String> b) {
        Map<String, String> m = new LinkedHashMap<>(a);
        m.putAll(b);
        return m;
    }

    @Override
    public String toString() {
        return byName.size() + " presets" + (files.isEmpty() ? "" : " (files " + files + ")");
    }
}
