package dev.bakehouse.train.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class CaptionProcessorTest {

    /** Draws that keep everything in place: shuffle is the identity, choice the first option. */
    private static CaptionRandom fixed(boolean reverse) {
        return new CaptionRandom() {
            @Override
            public double random() {
                return 0.5;
            }

            @Override
            public void shuffle(List<String> tokens) {
                if (reverse) {
                    Collections.reverse(tokens);
                }
            }

            @Override
            public int choice(int n) {
                return reverse ? n - 1 : 0;
            }
        };
    }

    private static String text(JsonNode n) {
        return n == null || n.isNull() ? null : n.asText();
    }

    private static CaptionOptions options(JsonNode defaults, JsonNode given) {
        java.util.function.Function<String, JsonNode> get = k -> given.has(k) ? given.get(k) : defaults.get(k);
        return new CaptionOptions(get.apply("shuffle_caption").asBoolean(), text(get.apply("caption_separator")),
                get.apply("keep_tokens").asInt(), text(get.apply("keep_tokens_separator")),
                text(get.apply("secondary_separator")), get.apply("enable_wildcard").asBoolean(),
                text(get.apply("caption_prefix")), text(get.apply("caption_suffix")),
                get.apply("caption_dropout_rate").asDouble(), get.apply("caption_dropout_every_n_epochs").asInt(),
                get.apply("caption_tag_dropout_rate").asDouble(), get.apply("token_warmup_min").asInt(),
                get.apply("token_warmup_step").asDouble());
    }

    @Test
    void process_everyFixtureCase_matchesKohya() {
        JsonNode fixture = KohyaFixtures.read("captions.json");
        int n = 0;
        for (JsonNode c : fixture.get("cases")) {
            String id = c.get("id").asText();
            CaptionOptions o = options(fixture.get("option_defaults"), c.get("options"));
            JsonNode ctxNode = c.get("context");
            CaptionProcessor.Context ctx = new CaptionProcessor.Context(ctxNode.get("current_epoch").asInt(),
                    ctxNode.get("current_step").asInt(), ctxNode.get("max_train_steps").asInt());
            String caption = c.get("caption").asText();
            if (c.get("deterministic").asBoolean()) {
                for (CaptionRandom rnd : List.of(fixed(false), fixed(true), CaptionRandom.seeded(1), CaptionRandom.seeded(2))) {
                    assertEquals(c.get("output").asText(), CaptionProcessor.process(o, caption, ctx, rnd), id);
                }
            } else {
                assertEquals(c.get("output_if_identity").asText(), CaptionProcessor.process(o, caption, ctx, fixed(false)), id);
                if (c.has("flex")) {
                    List<String> tokens = new ArrayList<>(KohyaFixtures.strings(c.get("fixed")));
                    List<String> flex = KohyaFixtures.strings(c.get("flex"));
                    Collections.reverse(flex);
                    tokens.addAll(flex);
                    tokens.addAll(KohyaFixtures.strings(c.get("fixed_suffix")));
                    String expected = String.join(", ", tokens);
                    if (o.secondarySeparator() != null) {
                        expected = expected.replace(o.secondarySeparator(), o.captionSeparator());
                    }
                    assertEquals(expected, CaptionProcessor.process(o, caption, ctx, fixed(true)), id + " reversed");
                } else {
                    assertEquals("a blue ball", CaptionProcessor.process(o, caption, ctx, fixed(true)), id);
                }
            }
            n++;
        }
        assertEquals(38, n);
    }

    @Test
    void process_dropoutRateHalf_dropsByTheInjectedDraw() {
        CaptionOptions o = new CaptionOptions(false, ",", 0, "", null, false, null, null, 0.5, 0, 0.0, 1, 0);
        CaptionProcessor.Context ctx = new CaptionProcessor.Context(1, 0, 100);
        CaptionRandom low = fixed(false);
        assertEquals("sks", CaptionProcessor.process(o, "sks", ctx, low));
        CaptionRandom draw = new CaptionRandom() {
            public double random() {
                return 0.25;
            }

            public void shuffle(List<String> t) {}

            public int choice(int k) {
                return 0;
            }
        };
        assertEquals("", CaptionProcessor.process(o, "sks", ctx, draw));
    }

    @Test
    void options_rateAboveOne_namesTheOption() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new CaptionOptions(false, ",", 0, "", null, false, null, null, 1.5, 0, 0.0, 1, 0));
        assertTrue(e.getMessage().startsWith("caption_dropout_rate"), e.getMessage());
    }
}
