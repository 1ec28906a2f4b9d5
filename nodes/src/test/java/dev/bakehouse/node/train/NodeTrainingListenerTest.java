package dev.bakehouse.node.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bakehouse.node.DataDirs;
import dev.bakehouse.node.FakeContext;
import dev.bakehouse.train.run.TrainingListener;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeTrainingListenerTest {
    @TempDir
    Path tmp;

    @Test
    void step_carriesValLossInTheTrainEvent_onlyOnStepsThatValidated() {
        FakeContext ctx = new FakeContext(DataDirs.of(tmp.resolve("data")));
        NodeTrainingListener listener = new NodeTrainingListener(ctx, tmp.resolve("data/models/loras"));
        List<String> groups = List.of("unet");
        listener.step(1, 2, new TrainingListener.StepReport(1, 0.2, 0.2, groups, new double[] {1e-4}, Double.NaN, 0.1));
        listener.step(2, 2, new TrainingListener.StepReport(1, 0.1, 0.15, groups, new double[] {1e-4}, 0.125, 0.1));
        List<ObjectNode> events = ctx.sent.stream().filter(e -> e.getKey().equals(NodeTrainingListener.EVENT))
                .map(java.util.Map.Entry::getValue).toList();
        assertEquals(2, events.size());
        assertFalse(events.get(0).has("val_loss"), events.get(0).toString());
        assertEquals(0.125, events.get(1).get("val_loss").asDouble());
    }
}
