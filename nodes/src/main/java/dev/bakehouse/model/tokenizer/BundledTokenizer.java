package dev.bakehouse.model.tokenizer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.util.Map;

/**
 * The SD 1.x CLIP tokenizer that ships inside Bakehouse: OpenAI's MIT-licensed merges list
 * (the first 48,894 rules of {@code bpe_simple_vocab_16e6.txt}, gzipped; provenance in
 * {@code NOTICE.md} beside the resource), with the vocabulary derived from it. It is the last
 * place {@link TokenizerLocator#standard} looks, so any SD 1.x checkpoint works without set-up.
 */
public final class BundledTokenizer {
    /** Class-path location of the gzipped merges. */
    static final String RESOURCE = "sd1-clip/merges.txt.gz";

    private BundledTokenizer() {}

    /**
     * The bundled files as a {@link TokenizerFiles} (merges only). Inside a jar the path belongs
     * to the jar's zip file system, which is opened once and stays open for the JVM's life.
     */
    public static TokenizerFiles files() {
        URL url = BundledTokenizer.class.getResource(RESOURCE);
        if (url == null) {
            throw new IllegalStateException("the bundled CLIP tokenizer resource "
                    + BundledTokenizer.class.getPackageName().replace('.', '/') + "/" + RESOURCE
                    + " is missing from the class path (broken build?)");
        }
        try {
            return TokenizerFiles.mergesOnly(pathOf(url.toURI()));
        } catch (URISyntaxException e) {
            throw new IllegalStateException("bundled CLIP tokenizer at unusable URL " + url, e);
        }
    }

    private static Path pathOf(URI uri) {
        if (!"jar".equals(uri.getScheme())) {
            return Path.of(uri);
        }
        try {
            return Path.of(uri);
        } catch (FileSystemNotFoundException notOpenYet) {
            try {
                FileSystems.newFileSystem(uri, Map.of());
            } catch (FileSystemAlreadyExistsException openedMeanwhile) {
                // another thread opened it between the two calls; Path.of below finds it
            } catch (IOException e) {
                throw new UncheckedIOException("cannot open " + uri + " to read the bundled CLIP tokenizer", e);
            }
            return Path.of(uri);
        }
    }
}
