package dev.bakehouse.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bakehouse.server.testing.TestServer;
import dev.bakehouse.server.testing.TestServer.Response;
import dev.bakehouse.testing.TinyDataset;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dataset view's routes: the listing (subsets, repeats, images, captions), image bytes and
 * caption edits written to the .txt beside the image, with hostile names and paths refused (400)
 * and nothing outside the datasets folder read or written.
 */
class DatasetRoutesHttpTest {
    private static final String SECRET = "top secret content";

    @TempDir
    Path root;

    private TestServer server;
    private Path kiki;

    @BeforeEach
    void start() throws Exception {
        Files.writeString(root.resolve("secret.txt"), SECRET);
        Files.writeString(root.resolve("secret.png"), SECRET);
        Path dataDir = Files.createDirectories(root.resolve("data"));
        server = TestServer.start(dataDir);
        kiki = TinyDataset.write(dataDir.resolve("datasets/kiki"), "3_kiki girl", 2);
        Files.delete(kiki.resolve("3_kiki girl/img_01.txt"));
        Files.createDirectories(kiki.resolve("notes"));
        Files.createSymbolicLink(kiki.resolve("3_kiki girl/link.png"), root.resolve("secret.png"));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void list_showsSubsetsWithRepeatsImagesAndCaptions() {
        assertEquals(List.of("kiki"), strings(server.get("/api/bakehouse/datasets").json().path("datasets")));
        JsonNode dataset = server.get("/api/bakehouse/datasets/kiki").json();
        JsonNode subset = dataset.path("subsets").path(0);
        assertEquals("3_kiki girl", subset.path("folder").asText());
        assertEquals(3, subset.path("repeats").asInt());
        assertEquals("kiki girl", subset.path("class_tokens").asText());
        JsonNode images = subset.path("images");
        assertEquals("3_kiki girl/img_00.png", images.path(0).path("file").asText());
        assertEquals(readCaption("img_00.txt"), images.path(0).path("caption").asText());
        assertEquals("3_kiki girl/img_00.txt", images.path(0).path("caption_file").asText());
        assertTrue(images.path(1).path("caption").isNull(), "img_01 has no caption file");
        assertTrue(dataset.path("warnings").toString().contains("ignore directory without repeats: notes"),
                dataset.toString());
    }

    @Test
    void image_servesTheImageBytes() throws Exception {
        byte[] png = server.getBytes("/api/bakehouse/datasets/kiki/image?file=3_kiki%20girl/img_00.png");
        assertArrayEquals(Files.readAllBytes(kiki.resolve("3_kiki girl/img_00.png")), png);
    }

    @Test
    void caption_writesTheTxtBesideTheImage_newOrExisting() throws Exception {
        Response edited = put("/api/bakehouse/datasets/kiki/caption",
                "{\"file\":\"3_kiki girl/img_00.png\",\"caption\":\"kiki, red ring, grey background\"}");
        assertEquals(200, edited.status(), edited.body());
        assertEquals("kiki, red ring, grey background", readCaption("img_00.txt"));
        assertEquals("3_kiki girl/img_00.txt", edited.json().path("caption_file").asText());

        Response created = put("/bakehouse/datasets/kiki/caption", "{\"file\":\"3_kiki girl/img_01.png\",\"caption\":\"kiki\"}");
        assertEquals(200, created.status(), created.body());
        assertEquals("kiki", readCaption("img_01.txt"));
        assertEquals("kiki", server.get("/api/bakehouse/datasets/kiki").json().at("/subsets/0/images/1/caption").asText());
    }

    @Test
    void hostileNamesAndPaths_areRefusedWith400_andNothingLeaksOrIsWritten() throws Exception {
        List<String> reads = List.of(
                "/api/bakehouse/datasets/..",
                "/api/bakehouse/datasets/%2E%2E",
                "/api/bakehouse/datasets/kiki/image?file=../../../secret.png",
                "/api/bakehouse/datasets/kiki/image?file=3_kiki%20girl/../../../secret.png",
                "/api/bakehouse/datasets/kiki/image?file=%2Fetc%2Fpasswd",
                "/api/bakehouse/datasets/kiki/image?file=" + root.resolve("secret.png").toString().replace("/", "%2F"),
                "/api/bakehouse/datasets/kiki/image?file=3_kiki%20girl%5C..%5C..%5Csecret.png",
                "/api/bakehouse/datasets/kiki/image?file=3_kiki%20girl/link.png",
                "/api/bakehouse/datasets/kiki/image?file=3_kiki%20girl/img_00.txt",
                "/api/bakehouse/datasets/kiki/image?file=img_00.png%00",
                "/api/bakehouse/datasets/kiki/image");
        for (String path : reads) {
            Response response = server.get(path);
            assertEquals(400, response.status(), path + " → " + response.body());
            assertFalse(response.body().contains(SECRET), "leaked by " + path);
            assertTrue(response.json().path("error").asText().length() > 10, "a clear error for " + path);
        }
        for (String file : List.of("../../../secret.png", "/" + root.resolve("secret.png"), "3_kiki girl/link.png",
                "3_kiki girl/../../../secret.png")) {
            Response response = put("/api/bakehouse/datasets/kiki/caption",
                    "{\"file\":\"" + file + "\",\"caption\":\"pwned\"}");
            assertEquals(400, response.status(), file + " → " + response.body());
        }
        assertEquals(SECRET, Files.readString(root.resolve("secret.txt")));
        assertFalse(Files.exists(root.resolve("secret.txt.tmp")));
        try (var files = Files.walk(root)) {
            assertTrue(files.filter(Files::isRegularFile).noneMatch(f -> readQuietly(f).equals("pwned")),
                    "no caption was written anywhere");
        }
    }

    @Test
    void badCaptionRequests_nameTheFieldAndWhatWasExpected() {
        Response empty = put("/api/bakehouse/datasets/kiki/caption", "{\"file\":\"3_kiki girl/img_00.png\",\"caption\":\" \"}");
        assertEquals(400, empty.status());
        assertTrue(empty.json().path("error").asText().startsWith("caption: expected text"), empty.body());
        Response number = put("/api/bakehouse/datasets/kiki/caption", "{\"file\":\"3_kiki girl/img_00.png\",\"caption\":5}");
        assertEquals(400, number.status());
        assertTrue(number.json().path("error").asText().startsWith("caption: expected a string"), number.body());
        Response missing = server.get("/api/bakehouse/datasets/nope");
        assertEquals(404, missing.status());
        assertEquals("dataset: no folder 'nope' under datasets/", missing.json().path("error").asText());
        assertEquals(404, server.get("/api/bakehouse/datasets/kiki/image?file=3_kiki%20girl/none.png").status());
    }

    private Response put(String path, String body) {
        return server.send(HttpRequest.newBuilder(server.uri(path))
                .PUT(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build());
    }

    private String readCaption(String name) {
        return readQuietly(kiki.resolve("3_kiki girl").resolve(name)).strip();
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            return "";
        }
    }

    private static List<String> strings(JsonNode array) {
        return java.util.stream.StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
    }
}
