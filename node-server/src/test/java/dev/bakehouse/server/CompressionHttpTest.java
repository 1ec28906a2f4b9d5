package dev.bakehouse.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bakehouse.server.json.Json;
import dev.bakehouse.server.testing.TestServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Spec §1.4: responses are gzip-encoded when the client asks for it, and only then. */
class CompressionHttpTest {
    @TempDir
    Path root;

    @Test
    void objectInfo_isGzipped_onlyWhenAskedFor() throws IOException, InterruptedException {
        try (TestServer server = TestServer.start(root)) {
            HttpResponse<byte[]> plain = server.http.send(HttpRequest.newBuilder(server.uri("/object_info")).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, plain.statusCode());
            assertTrue(plain.headers().firstValue("Content-Encoding").isEmpty(), plain.headers().toString());
            JsonNode expected = Json.parseTrusted(new String(plain.body(), StandardCharsets.UTF_8));

            HttpResponse<byte[]> gzipped = server.http.send(HttpRequest.newBuilder(server.uri("/api/object_info"))
                            .header("Accept-Encoding", "gzip").GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, gzipped.statusCode());
            assertEquals("gzip", gzipped.headers().firstValue("Content-Encoding").orElse(""));
            byte[] inflated;
            try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzipped.body()))) {
                inflated = in.readAllBytes();
            }
            assertEquals(expected, Json.parseTrusted(new String(inflated, StandardCharsets.UTF_8)));
            assertTrue(gzipped.body().length * 3 < inflated.length,
                    "compressed " + gzipped.body().length + " bytes of " + inflated.length);
        }
    }
}
