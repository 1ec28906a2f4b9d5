package dev.bakehouse.toy.quality;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bakehouse.model.ComputeDevice;
import dev.bakehouse.model.tokenizer.BundledTokenizer;
import dev.bakehouse.model.tokenizer.ClipTokenizer;
import dev.bakehouse.node.DataDirs;
import dev.bakehouse.node.sd.CheckpointFile;
import dev.bakehouse.node.sd.Embeddings;
import dev.bakehouse.node.sd.ModelCache;
import dev.bakehouse.node.sd.PatchedCheckpoint;
import dev.bakehouse.node.sd.TrainingSampleRenderer;
import dev.bakehouse.toy.EmbeddedToyModel;
import dev.bakehouse.toy.world.SceneKind;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the shipped toy model draws, read back by the scene analyzer (few sampling steps, captions
 * of held-in scenes it was not trained on). Issue 9's target is 85% agreement on background, colour
 * and shape; the model shipped today does not reach it (see the README's toy-model section for its
 * numbers), so this test holds what it does reach: it follows colour words far above chance (one
 * palette colour in eight). It fails if a rebuilt model or a change in the sampling, text encoding
 * or VAE code loses that.
 */
class ToyModelQualityTest {
    /** Three times the chance of naming the object's colour (1 in 8). */
    static final double COLOUR_FOLLOWED = 3.0 / 8;

    @TempDir
    Path dir;

    @Test
    void shippedToyModel_followsColourWordsFarAboveChance() {
        Path data = dir.resolve("data");
        Path model = EmbeddedToyModel.file(data);
        try (ModelCache cache = new ModelCache(ComputeDevice.CPU, 1)) {
            ClipTokenizer tokenizer = ClipTokenizer.load(BundledTokenizer.files());
            Embeddings embeddings = new Embeddings(DataDirs.of(data), cache);
            Scorecard card = PatchedCheckpoint.of(cache, CheckpointFile.of(model)).use(sd -> new CaptionScorer(
                    new TrainingSampleRenderer(sd, tokenizer, embeddings, null, w -> { }), CaptionScorer.Settings.quick())
                    .score(CaptionScorer.captions(SceneKind.PRETRAINING, 40), 0));
            System.out.println("toy model, held-in captions: " + card.summary());
            assertTrue(card.colour() >= COLOUR_FOLLOWED, card.summary());
        }
    }
}
