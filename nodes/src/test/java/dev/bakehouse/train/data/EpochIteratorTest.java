package dev.bakehouse.train.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EpochIteratorTest {
    @TempDir
    Path root;

    DreamBoothDataset treeA;

    @BeforeEach
    void load() throws IOException {
        JsonNode t = KohyaFixtures.read("folders.json").get("trees").get(0);
        treeA = DreamBoothDatasetTest.load(new DreamBoothDatasetTest.Tree(root, t.get("entries")), t.get("args"));
    }

    private static List<String> order(List<EpochIterator.Batch> batches) {
        return batches.stream().map(b -> b.bucket() + ":" + b.samples().stream()
                .map(s -> s.image().path().getFileName() + "#" + s.repeat()).toList()).toList();
    }

    @Test
    void epoch_treeA_everyRepeatOnceInBucketPureBatches() {
        EpochIterator it = new EpochIterator(treeA, 2, 42, 1f);
        List<EpochIterator.Batch> batches = it.epoch(1);
        assertEquals(126, batches.size());
        assertEquals(126, it.batchesPerEpoch());
        Map<String, Integer> seen = new HashMap<>();
        for (EpochIterator.Batch b : batches) {
            assertTrue(b.samples().size() <= 2);
            for (EpochIterator.Sample s : b.samples()) {
                assertEquals(b.bucket(), s.image().bucket().bucket(), "batches never mix buckets");
                seen.merge(s.image().path() + "#" + s.repeat(), 1, Integer::sum);
            }
        }
        int expected = treeA.registered().stream().mapToInt(ImageEntry::numRepeats).sum();
        assertEquals(248, expected);
        assertEquals(expected, seen.size());
        assertTrue(seen.values().stream().allMatch(n -> n == 1));
    }

    @Test
    void epoch_sameSeed_sameOrder_otherEpochOrSeed_differs_resumeContinuesExactly() {
        EpochIterator a = new EpochIterator(treeA, 2, 42, 1f);
        EpochIterator b = new EpochIterator(treeA, 2, 42, 1f);
        assertEquals(order(a.epoch(3)), order(b.epoch(3)));
        assertNotEquals(order(a.epoch(3)), order(a.epoch(4)));
        assertNotEquals(order(a.epoch(3)), order(new EpochIterator(treeA, 2, 43, 1f).epoch(3)));
        List<EpochIterator.Batch> full = a.epoch(2);
        List<EpochIterator.Batch> resumed = b.epoch(2, 50);
        assertEquals(order(full.subList(50, full.size())), order(resumed));
        assertEquals(50, resumed.get(0).step());
    }

    @Test
    void batch_regImages_carryPriorLossWeight() {
        EpochIterator it = new EpochIterator(treeA, 2, 7, 0.5f);
        int reg = 0;
        for (EpochIterator.Batch b : it.epoch(1)) {
            for (int i = 0; i < b.samples().size(); i++) {
                boolean isReg = b.samples().get(i).image().isReg();
                assertEquals(isReg ? 0.5f : 1f, b.lossWeights()[i]);
                reg += isReg ? 1 : 0;
            }
        }
        assertEquals(124, reg);
    }

    @Test
    void captions_useEachSubsetsOptions_keepTokensFirst() {
        EpochIterator it = new EpochIterator(treeA, 2, 1, 1f);
        CaptionProcessor.Context ctx = new CaptionProcessor.Context(1, 0, 252);
        for (EpochIterator.Batch b : it.epoch(1).subList(0, 10)) {
            List<String> captions = EpochIterator.captions(treeA, b, ctx, CaptionRandom.seeded(3));
            for (int i = 0; i < captions.size(); i++) {
                String raw = b.samples().get(i).image().caption();
                String first = PythonText.strip(PythonText.split(PythonText.strip(raw), ",").get(0));
                assertTrue(captions.get(i).startsWith(first), captions.get(i) + " keeps " + first);
            }
        }
    }
}
