package dev.bakehouse.server.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bakehouse.model.ComputeDevice;
import dev.bakehouse.node.AllNodes;
import dev.bakehouse.node.DataDirs;
import dev.bakehouse.node.NodeRegistry;
import dev.bakehouse.node.sd.ModelCache;
import dev.bakehouse.node.sd.ModelSettings;
import dev.bakehouse.server.testing.TrainPrompts;
import dev.bakehouse.testing.TinyDataDir;
import dev.bakehouse.testing.TinyDataset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /interrupt} during TrainLoRA, through the real executor: the run saves its state and the
 * LoRA so far, the prompt ends interrupted at the TrainLoRA node, and queueing it again continues
 * from the state to the end.
 */
class TrainLoraInterruptTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PROMPT = "{" + TrainPrompts.loadAndTrain(2, true, "") + ",\n" + """
             "12": {"class_type": "SaveImage", "inputs": {"images": ["21", 1], "filename_prefix": "loss"}}}""";

    @TempDir
    Path data;

    @Test
    void interruptDuringTraining_savesStateEndsInterrupted_andTheSamePromptContinues() throws Exception {
        TinyDataDir.populate(data);
        TinyDataset.write(data.resolve("datasets/kiki"), "1_kiki", 4);
        DataDirs dirs = DataDirs.of(data);
        ObjectNode prompt = (ObjectNode) JSON.readTree(PROMPT);
        try (ModelCache models = new ModelCache(ComputeDevice.CPU, 1)) {
            NodeRegistry registry = NodeRegistry.of(AllNodes.all(dirs, ModelSettings.of(ComputeDevice.CPU, null), models));
            Validation.Accepted accepted = assertInstanceOf(Validation.Accepted.class,
                    new PromptValidator(registry).validate(prompt, null));
            PromptExecutor executor = new PromptExecutor(registry, dirs, new OutputCache());
            InterruptFlag interrupt = new InterruptFlag();
            List<String> events = new ArrayList<>();
            ExecutionListener interruptAtStepOne = new ExecutionListener() {
                @Override
                public void progress(String nodeId, long value, long max) {
                    if (nodeId.equals("21") && value == 1) {
                        interrupt.request(); // as POST /interrupt would while step 1 is reported
                    }
                }

                @Override
                public void nodeEvent(String nodeId, String type, ObjectNode eventData) {
                    events.add(nodeId + " " + type + " " + eventData.path("status").asText());
                }
            };

            Outcome stopped = executor.execute("p1", accepted.prompt(), JSON.createObjectNode(), accepted.outputs(),
                    interruptAtStepOne, interrupt);

            Outcome.Interrupted interrupted = assertInstanceOf(Outcome.Interrupted.class, stopped, stopped.toString());
            assertEquals("21", interrupted.nodeId());
            Path out = dirs.models(DataDirs.LORAS).resolve("kiki");
            assertTrue(Files.isRegularFile(out.resolve("kiki-step00000001-state/train_state.json")));
            assertTrue(Files.isRegularFile(out.resolve("kiki-step00000001.safetensors")));
            assertEquals(List.of("21 bakehouse.train training", "21 bakehouse.train stopped"), events);

            List<String> resumed = new ArrayList<>();
            Outcome finished = executor.execute("p2", accepted.prompt(), JSON.createObjectNode(), accepted.outputs(),
                    new ExecutionListener() {
                        @Override
                        public void progress(String nodeId, long value, long max) {
                            resumed.add(nodeId + " " + value + "/" + max);
                        }
                    }, interrupt);

            assertInstanceOf(Outcome.Success.class, finished, finished.toString());
            assertEquals(List.of("21 2/4", "21 3/4", "21 4/4"), resumed);
            assertTrue(Files.isRegularFile(out.resolve("kiki.safetensors")));
        }
    }
}
