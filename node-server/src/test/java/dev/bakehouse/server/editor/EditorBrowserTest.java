package dev.bakehouse.server.editor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.bakehouse.server.BakehouseServer;
import dev.bakehouse.server.ServerConfig;
import dev.bakehouse.testing.TinyDataDir;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The served editor in headless Chromium (Playwright, driven by
 * {@code frontend-bridge/src/test/browser/editor-flow.mjs}): a graph built by UI actions on the
 * tiny fixture model runs to its preview image. Screenshots land in
 * {@code node-server/target/editor-screenshots}. Skipped, with the reason printed, only outside CI
 * where Chromium or the editor's npm packages are missing; in CI (CI=true) that is a failure.
 */
class EditorBrowserTest {
    private static final Path FRONTEND = Path.of("..", "frontend-bridge").toAbsolutePath().normalize();
    private static final Path SCRIPT = FRONTEND.resolve("src/test/browser/editor-flow.mjs");
    private static final Path SCREENSHOTS = Path.of("target", "editor-screenshots").toAbsolutePath();

    @TempDir
    Path dataDir;

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void editor_buildsQueuesAndPreviewsATextToImageGraph_byUiActions() throws Exception {
        Path chromium = require(findChromium(), "no Chromium found (apt-get install chromium, or set BAKEHOUSE_CHROMIUM)");
        require(Optional.of(FRONTEND.resolve("node_modules/playwright-core"))
                .filter(Files::isDirectory), "frontend-bridge/node_modules has no playwright-core (run the Maven build of frontend-bridge)");
        TinyDataDir.populate(dataDir);
        try (BakehouseServer server = BakehouseServer.builder(ServerConfig.defaults(dataDir).withPort(0)).start()) {
            assertTrue(server.servesEditor(), "the bundled editor is on node-server's class path");
            Path log = dataDir.resolve("editor-flow.log");
            Process run = flow(chromium, server.port(), log);
            boolean finished = run.waitFor(150, TimeUnit.SECONDS);
            String output = Files.readString(log, StandardCharsets.UTF_8);
            System.out.println(output);
            if (!finished) {
                run.destroyForcibly();
                fail("the editor flow did not finish in 150 s:\n" + output);
            }
            assertEquals(0, run.exitValue(), output);
        }
        for (String shot : List.of("editor-validation-error.png", "editor-text-to-image-done.png", "editor-restored-from-png.png")) {
            byte[] png = Files.readAllBytes(SCREENSHOTS.resolve(shot));
            assertTrue(png.length > 1000 && png[1] == 'P' && png[2] == 'N' && png[3] == 'G', shot + " is a PNG");
        }
    }

    private Process flow(Path chromium, int port, Path log) throws IOException {
        ProcessBuilder builder = new ProcessBuilder("node", SCRIPT.toString())
                .directory(FRONTEND.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().put("EDITOR_URL", "http://127.0.0.1:" + port + "/");
        builder.environment().put("CHROMIUM", chromium.toString());
        builder.environment().put("SCREENSHOTS", SCREENSHOTS.toString());
        return builder.start();
    }

    private static Optional<Path> findChromium() {
        String configured = System.getenv("BAKEHOUSE_CHROMIUM");
        Stream<String> candidates = configured != null ? Stream.of(configured)
                : Stream.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome");
        return candidates.map(Path::of).filter(Files::isExecutable).findFirst();
    }

    /** The value, or a skip with the reason printed (a failure under CI=true). */
    private static <T> T require(Optional<T> value, String reason) {
        if (value.isEmpty()) {
            if ("true".equals(System.getenv("CI"))) {
                fail(reason + " — CI must run the browser tests (.ci/run installs Chromium)");
            }
            System.out.println("EditorBrowserTest skipped: " + reason);
            Assumptions.abort(reason);
        }
        return value.get();
    }
}
