package dev.bakehouse.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bakehouse.node.gachamax.CandidateRecord;
import dev.bakehouse.server.store.SqliteDatabase;
import dev.bakehouse.server.store.SqliteGachamaxStore;
import dev.bakehouse.server.testing.GachamaxRounds;
import dev.bakehouse.server.testing.TestServer;
import dev.bakehouse.server.testing.TestServer.Response;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The GACHAMAX routes over HTTP on a loop whose round 1 awaits picks (written through a second
 * connection to the server's database, as a GachamaxRound node run would).
 */
class GachamaxHttpTest {
    @TempDir
    Path root;

    @Test
    void pickRoute_recordsPicksAndTimelineShowsThem_badPicksGetClearErrors() throws Exception {
        Path data = Files.createDirectories(root.resolve("data"));
        try (TestServer server = TestServer.start(data);
             SqliteDatabase second = SqliteDatabase.open(data.resolve(BakehouseServer.DATABASE_FILE))) {
            List<CandidateRecord> c = GachamaxRounds.awaitingRoundOne(new SqliteGachamaxStore(second));

            JsonNode loops = server.get("/api/bakehouse/gachamax").json();
            assertEquals("kiki", loops.at("/loops/0/name").asText());
            assertEquals("awaiting_picks", loops.at("/loops/0/status").asText());

            Response unknown = server.post("/bakehouse/gachamax/kiki/pick", "{\"candidates\": [424242]}");
            assertEquals(400, unknown.status());
            assertTrue(unknown.json().get("error").asText().contains("candidate 424242 is not one of round 1"),
                    unknown.body());
            assertEquals(400, server.post("/bakehouse/gachamax/kiki/pick", "{\"candidates\": \"all\"}").status());
            assertEquals(404, server.post("/bakehouse/gachamax/nope/pick", "{\"candidates\": []}").status());

            Response ok = server.post("/api/bakehouse/gachamax/kiki/pick", "{\"candidates\": [" + c.get(1).id()
                    + "], \"captions\": {\"" + c.get(1).id() + "\": \"kiki, blue background, large, middle_left, hat\"},"
                    + " \"drops\": [\"1_kiki/a.png\"]}");
            assertEquals(200, ok.status(), ok.body());
            JsonNode round = ok.json().at("/rounds/0");
            assertEquals("picked", round.get("status").asText());
            assertEquals("1_kiki/a.png", round.at("/drops/0").asText());
            assertTrue(round.at("/candidates/1/picked").asBoolean());
            assertEquals("kiki, blue background, large, middle_left, hat", round.at("/candidates/1/caption").asText());
            assertEquals(2, round.at("/dataset/images").size());

            Response again = server.post("/bakehouse/gachamax/kiki/pick", "{\"candidates\": []}");
            assertEquals(409, again.status());
            assertTrue(again.json().get("error").asText().contains("no round awaits picks (round 1 is picked)"),
                    again.body());
        }
    }
}
