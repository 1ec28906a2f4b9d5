package dev.bakehouse.train.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * kohya's {@code read_caption}: the candidates are {@code <image minus extension><ext>} and the
 * "face crop" name ({@code _}-split of the whole path minus its last four parts, so it can name
 * a file in the parent folder); the first existing file wins; only its first line is used
 * (stripped, BOM kept; a blank first line is an empty caption), or with {@code enable_wildcard}
 * every non-blank line.
 */
final class CaptionFiles {
    private CaptionFiles() {}

    /** A caption read from a file. */
    record Found(Path file, String caption) {}

    static List<Path> candidates(Path image, String captionExtension) {
        String path = image.toString();
        String name = image.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String base = dot > 0 && name.chars().limit(dot).anyMatch(c -> c != '.')
                ? path.substring(0, path.length() - (name.length() - dot)) : path;
        String faceBase = base;
        List<String> tokens = PythonText.split(base, "_");
        if (tokens.size() >= 5) {
            faceBase = String.join("_", tokens.subList(0, tokens.size() - 4));
        }
        return List.of(Path.of(base + captionExtension), Path.of(faceBase + captionExtension));
    }

    /**
     * The caption of an image, or null when no candidate file exists.
     *
     * @throws IOException naming the file when it is empty, not UTF-8 or unreadable
     */
    static Found read(Path image, String captionExtension, boolean enableWildcard) throws IOException {
        for (Path candidate : candidates(image, captionExtension)) {
            if (!Files.isRegularFile(candidate)) {
                continue;
            }
            String text;
            try {
                text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(Files.readAllBytes(candidate))).toString();
            } catch (CharacterCodingException e) {
                throw new IOException("caption file " + candidate + " is not UTF-8 text");
            }
            List<String> lines = lines(text);
            if (lines.isEmpty()) {
                throw new IOException("caption file " + candidate + " is empty (kohya stops on it)");
            }
            if (enableWildcard) {
                List<String> kept = new ArrayList<>();
                for (String line : lines) {
                    String s = PythonText.strip(line);
                    if (!s.isEmpty()) {
                        kept.add(s);
                    }
                }
                return new Found(candidate, String.join("\n", kept));
            }
            return new Found(candidate, PythonText.strip(lines.get(0)));
        }
        return null;
    }

    /** Python's text-mode {@code readlines()}: universal newlines (\n, \r\n, \r). */
    private static List<String> lines(String text) {
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n' || c == '\r') {
                out.add(text.substring(start, i));
                if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    i++;
                }
                start = i + 1;
            }
        }
        if (start < text.length()) {
            out.add(text.substring(start));
        }
        return out;
    }

    /**
     * kohya's {@code glob_images}: one {@code *<ext>} glob per image extension, case-sensitive,
     * hidden names skipped; sorted by code point.
     */
    static List<Path> globImages(Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        try (var entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                String name = p.getFileName().toString();
                if (!name.startsWith(".") && hasImageExtension(name)) {
                    out.add(p);
                }
            }
        }
        out.sort((a, b) -> PythonText.compareCodePoints(a.toString(), b.toString()));
        return out;
    }

    private static final List<String> IMAGE_EXTENSIONS =
            List.of(".png", ".jpg", ".jpeg", ".webp", ".bmp", ".PNG", ".JPG", ".JPEG", ".WEBP", ".BMP");

    static boolean hasImageExtension(String name) {
        for (String ext : IMAGE_EXTENSIONS) {
            if (name.endsWith(ext)) {
                return true;
            }
        }
        return false;
    }
}
