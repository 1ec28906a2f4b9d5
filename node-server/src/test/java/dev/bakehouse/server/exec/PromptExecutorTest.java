package dev.bakehouse.server.exec;

import static dev.bakehouse.server.exec.PromptValidatorTest.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bakehouse.node.DataDirs;
import dev.bakehouse.node.DataType;
import dev.bakehouse.node.Node;
import dev.bakehouse.node.NodeContext;
import dev.bakehouse.node.NodeInputs;
import dev.bakehouse.node.NodeRegistry;
import dev.bakehouse.node.NodeResult;
import dev.bakehouse.node.NodeSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Execution: order, events, caching between prompts, lists, interrupts and runtime errors. */
class PromptExecutorTest {
    /** The spec's §4.1 example graph, rebuilt from test nodes (same ids, links and key order). */
    private static final String EXAMPLE = """
            {"4": {"class_type": "TestLoader", "inputs": {"name": "sd15"}},
             "5": {"class_type": "TestEmptyLatent", "inputs": {"width": 512}},
             "6": {"class_type": "TestEncode", "inputs": {"text": "a lighthouse at dusk", "clip": ["4", 1]}},
             "7": {"class_type": "TestEncode", "inputs": {"text": "blurry", "clip": ["4", 1]}},
             "3": {"class_type": "TestSampler", "inputs": {"seed": 42, "model": ["4", 0],
                   "positive": ["6", 0], "negative": ["7", 0], "latent_image": ["5", 0]}},
             "8": {"class_type": "TestDecode", "inputs": {"samples": ["3", 0], "vae": ["4", 2]}},
             "9": {"class_type": "TestOutput", "inputs": {"value": ["8", 0]}}}""";

    @TempDir
    Path tmp;

    private final LoggingTestNodes nodes = new LoggingTestNodes();
    private final NodeRegistry registry = nodes.registry();
    private final OutputCache cache = new OutputCache();
    private PromptExecutor executor;
    private RecordingListener listener;

    private Outcome run(String prompt) {
        return run(prompt, null);
    }

    private Outcome run(String prompt, List<String> targets) {
        Validation.Accepted accepted = assertInstanceOf(Validation.Accepted.class,
                new PromptValidator(registry).validate(json(prompt), targets));
        if (executor == null) {
            executor = new PromptExecutor(registry, DataDirs.of(tmp), cache);
        }
        listener = new RecordingListener();
        nodes.runs.clear();
        return executor.execute("p1", accepted.prompt(), null, accepted.outputs(), listener, nodes.interrupt);
    }

    @Test
    void exampleGraph_runsInTheReferenceOrder() {
        Outcome outcome = run(EXAMPLE);
        assertInstanceOf(Outcome.Success.class, outcome);
        assertEquals(List.of("4", "5", "7", "6", "3", "8", "9"), listener.started());
    }

    @Test
    void freshRun_emitsEventsInTheDocumentedOrder() {
        run(EXAMPLE);
        List<String> expected = new ArrayList<>(List.of("start", "cached []"));
        for (String id : List.of("4", "5", "7", "6", "3", "8")) {
            expected.addAll(List.of("starting " + id, "finished " + id));
        }
        expected.addAll(List.of("starting 9", "executed 9 {\"text\":[\"image\"]}", "finished 9"));
        assertEquals(expected, listener.events);
    }

    @Test
    void unchangedResubmission_isFullyCachedAndReplaysTheOutputsUi() {
        run(EXAMPLE);
        Outcome second = run(EXAMPLE);

        assertEquals(List.of("start", "cached [4, 5, 6, 7, 3, 8, 9]",
                "executed 9 {\"text\":[\"image\"]}", "finished 9"), listener.events);
        assertEquals(List.of(), nodes.runs);
        assertEquals("{9={\"text\":[\"image\"]}}", second.uiOutputs().toString());
    }

    @Test
    void partialCache_rerunsOnlyTheChangedBranch() {
        run(EXAMPLE);
        run(EXAMPLE.replace("\"seed\": 42", "\"seed\": 43"));

        assertEquals("cached [4, 5, 6, 7]", listener.events.get(1));
        assertEquals(List.of("3", "8", "9"), listener.started());
    }

    @Test
    void renumberedIds_hitTheCache() {
        run(EXAMPLE);
        String renumbered = EXAMPLE.replaceAll("\"(\\d)\"", "\"1$10\"");
        run(renumbered);

        assertEquals("cached [140, 150, 160, 170, 130, 180, 190]", listener.events.get(1));
        assertEquals(List.of(), nodes.runs);
    }

    @Test
    void changedFingerprint_rerunsTheNodeAndItsDownstream() {
        String prompt = """
                {"1": {"class_type": "TestChanging", "inputs": {"value": 1}},
                 "2": {"class_type": "TestOutput", "inputs": {"value": ["1", 0]}}}""";
        run(prompt);
        run(prompt);
        assertEquals(List.of(), nodes.runs);

        nodes.fingerprint = "v2";
        run(prompt);
        assertEquals(List.of("TestChanging#1", "TestOutput#2"), nodes.runs);
    }

    @Test
    void nanFingerprint_forcesARerunEveryTime() {
        String prompt = """
                {"1": {"class_type": "TestChanging", "inputs": {"value": 1}},
                 "2": {"class_type": "TestOutput", "inputs": {"value": ["1", 0]}}}""";
        nodes.fingerprint = Double.NaN;
        run(prompt);
        run(prompt);
        assertEquals(List.of("TestChanging#1", "TestOutput#2"), nodes.runs);
        assertEquals("cached []", listener.events.get(1));
    }

    @Test
    void failingFingerprint_forcesARerunLikeNaN() {
        String prompt = """
                {"1": {"class_type": "TestChanging", "inputs": {"value": 1}},
                 "2": {"class_type": "TestOutput", "inputs": {"value": ["1", 0]}}}""";
        nodes.fingerprint = new IllegalStateException("file gone");
        run(prompt);
        run(prompt);
        assertEquals(List.of("TestChanging#1", "TestOutput#2"), nodes.runs);
    }

    @Test
    void classicPolicy_dropsEntriesTheNewPromptDoesNotUse() {
        String one = "{\"1\": {\"class_type\": \"TestInt\", \"inputs\": {\"value\": 1}},"
                + " \"2\": {\"class_type\": \"TestOutput\", \"inputs\": {\"value\": [\"1\", 0]}}}";
        run(one);
        run(one.replace("\"value\": 1", "\"value\": 2"));
        assertEquals(2, cache.size());

        run(one);
        assertEquals(List.of("TestInt#1", "TestOutput#2"), nodes.runs);
    }

    @Test
    void clearedCache_rerunsEverything() {
        run(EXAMPLE);
        cache.clear();
        run(EXAMPLE);
        assertEquals(7, nodes.runs.size());
    }

    @Test
    void uniqueIdNode_isNotSharedAcrossNodeIds() {
        String prompt = """
                {"1": {"class_type": "TestUnique", "inputs": {"value": 1}},
                 "2": {"class_type": "TestOutput", "inputs": {"value": ["1", 0]}}}""";
        run(prompt);
        run(prompt.replace("\"1\"", "\"5\""));
        assertEquals(List.of("TestUnique#5", "TestOutput#2"), nodes.runs);
    }

    @Test
    void outputIsList_fansOutIntoOneRunPerElement() {
        Outcome outcome = run("""
                {"1": {"class_type": "TestList", "inputs": {"count": 3}},
                 "2": {"class_type": "TestInt", "inputs": {"value": 10}},
                 "3": {"class_type": "TestAdd", "inputs": {"a": ["1", 0], "b": ["2", 0]}},
                 "4": {"class_type": "TestOutput", "inputs": {"value": ["3", 0]}}}""");

        assertEquals(3, nodes.runs.stream().filter(r -> r.equals("TestAdd#3")).count());
        assertEquals("{\"text\":[\"10\",\"11\",\"12\"]}", outcome.uiOutputs().get("4").toString());
    }

    @Test
    void shorterLists_repeatTheirLastElement() {
        Outcome outcome = run("""
                {"1": {"class_type": "TestList", "inputs": {"count": 3}},
                 "2": {"class_type": "TestList", "inputs": {"count": 2}},
                 "3": {"class_type": "TestAdd", "inputs": {"a": ["1", 0], "b": ["2", 0]}},
                 "4": {"class_type": "TestOutput", "inputs": {"value": ["3", 0]}}}""");
        assertEquals("{\"text\":[\"0\",\"2\",\"3\"]}", outcome.uiOutputs().get("4").toString());
    }

    @Test
    void inputIsList_receivesTheWholeListInOneCall() {
        Outcome outcome = run("""
                {"1": {"class_type": "TestList", "inputs": {"count": 4}},
                 "2": {"class_type": "TestSum", "inputs": {"values": ["1", 0]}},
                 "3": {"class_type": "TestOutput", "inputs": {"value": ["2", 0]}}}""");
        assertEquals(1, nodes.runs.stream().filter(r -> r.equals("TestSum#2")).count());
        assertEquals("{\"text\":[\"6\"]}", outcome.uiOutputs().get("3").toString());
    }

    @Test
    void interruptDuringProgress_stopsAtThatNode() {
        Outcome outcome = run("""
                {"1": {"class_type": "TestInt", "inputs": {"value": 1}},
                 "2": {"class_type": "TestInterrupter", "inputs": {"value": ["1", 0]}},
                 "3": {"class_type": "TestOutput", "inputs": {"value": ["2", 0]}}}""");

        Outcome.Interrupted interrupted = assertInstanceOf(Outcome.Interrupted.class, outcome);
        assertEquals("2", interrupted.nodeId());
        assertEquals("TestInterrupter", interrupted.nodeType());
        assertEquals(List.of("1"), interrupted.executed());
        assertEquals(List.of("start", "cached []", "starting 1", "finished 1", "starting 2",
                "progress 2 1/2"), listener.events);
        assertEquals("{\"prompt_id\":\"p1\",\"node_id\":\"2\",\"node_type\":\"TestInterrupter\","
                + "\"executed\":[\"1\"],\"timestamp\":5}", interrupted.toJson("p1", 5).toString());
    }

    @Test
    void interruptBetweenNodes_isNoticedBeforeTheNextNodeRuns() {
        Outcome outcome = run("""
                {"1": {"class_type": "TestInt", "inputs": {"value": 1}},
                 "2": {"class_type": "TestFlagSetter", "inputs": {"value": ["1", 0]}},
                 "3": {"class_type": "TestOutput", "inputs": {"value": ["2", 0]}}}""");

        Outcome.Interrupted interrupted = assertInstanceOf(Outcome.Interrupted.class, outcome);
        assertEquals("3", interrupted.nodeId());
        assertEquals(List.of("1", "2"), interrupted.executed());
        assertFalse(nodes.runs.contains("TestOutput#3"));
    }

    @Test
    void interruptRequestedBeforeTheRun_isClearedWhenThePromptStarts() {
        nodes.interrupt.request();
        assertInstanceOf(Outcome.Success.class, run(EXAMPLE));
    }

    @Test
    void progress_isForwardedToTheListener() {
        run("""
                {"1": {"class_type": "TestInt", "inputs": {"value": 1}},
                 "2": {"class_type": "TestProgress", "inputs": {"value": ["1", 0]}},
                 "3": {"class_type": "TestSink", "inputs": {"value": ["2", 0]}}}""");
        assertEquals(List.of("progress 2 1/3", "progress 2 2/3", "progress 2 3/3"),
                listener.events.stream().filter(e -> e.startsWith("progress")).toList());
    }

    @Test
    void progressWithPreview_reachesTheListenerWithTheImage() {
        run("""
                {"1": {"class_type": "TestInt", "inputs": {"value": 1}},
                 "2": {"class_type": "TestPreview", "inputs": {"value": ["1", 0]}},
                 "3": {"class_type": "TestSink", "inputs": {"value": ["2", 0]}}}""");
        assertEquals(List.of("progress 2 1/2 with ImageBatch[1×2×3×3]", "progress 2 2/2"),
                listener.events.stream().filter(e -> e.startsWith("progress")).toList());
    }

    @Test
    void runtimeError_reportsTheFailingNodeWithInputsAndTraceback() {
        Outcome outcome = run("""
                {"1": {"class_type": "TestInt", "inputs": {"value": 5}},
                 "2": {"class_type": "TestFail", "inputs": {"value": ["1", 0]}},
                 "3": {"class_type": "TestOutput", "inputs": {"value": ["2", 0]}}}""");

        ExecutionError error = assertInstanceOf(Outcome.Failed.class, outcome).error();
        ObjectNode data = error.toJson("p1", 7);
        List<String> keys = new ArrayList<>();
        data.fieldNames().forEachRemaining(keys::add);
        assertEquals(List.of("prompt_id", "node_id", "node_type", "executed", "exception_message",
                "exception_type", "traceback", "current_inputs", "current_outputs", "timestamp"), keys);
        assertEquals("2", error.nodeId());
        assertEquals("TestFail", error.nodeType());
        assertEquals(List.of("1"), error.executed());
        assertEquals("boom at 5", error.exceptionMessage());
        assertEquals("java.lang.IllegalStateException", error.exceptionType());
        assertTrue(error.traceback().get(0).contains("LoggingTestNodes"), error.traceback().toString());
        assertEquals("{\"value\":[5]}", error.currentInputs().toString());
        assertEquals(List.of("1", "2", "3"), error.currentOutputs());
        assertFalse(listener.events.contains("finished 2"));
    }

    @Test
    void runtimeError_keepsCompletedResultsCached() {
        String prompt = """
                {"1": {"class_type": "TestInt", "inputs": {"value": 5}},
                 "2": {"class_type": "TestFail", "inputs": {"value": ["1", 0]}},
                 "3": {"class_type": "TestOutput", "inputs": {"value": ["2", 0]}}}""";
        run(prompt);
        run(prompt);
        assertEquals("cached [1]", listener.events.get(1));
        assertEquals(List.of("TestFail#2"), nodes.runs);
    }

    @Test
    void runtimeError_rendersNonPrimitiveInputsAsStrings() {
        Outcome outcome = run("""
                {"1": {"class_type": "TestOpaque", "inputs": {}},
                 "2": {"class_type": "TestModelFail", "inputs": {"model": ["1", 0], "seed": 3}},
                 "3": {"class_type": "TestOutput", "inputs": {"value": ["2", 0]}}}""");
        ExecutionError error = assertInstanceOf(Outcome.Failed.class, outcome).error();
        assertEquals("{\"model\":[\"opaque-model\"],\"seed\":[3]}", error.currentInputs().toString());
        assertEquals("java.lang.IllegalArgumentException", error.exceptionType());
    }

    @Test
    void cycleReachingExecution_isADependencyCycleError() {
        ObjectNode cyclic = (ObjectNode) json("""
                {"1": {"class_type": "TestOutput", "inputs": {"value": ["2", 0]}},
                 "2": {"class_type": "TestAdd", "inputs": {"a": ["3", 0], "b": ["3", 0]}},
                 "3": {"class_type": "TestAdd", "inputs": {"a": ["2", 0], "b": ["2", 0]}}}""");
        PromptExecutor direct = new PromptExecutor(registry, DataDirs.of(tmp), cache);
        Outcome outcome = direct.execute("p1", cyclic, null, List.of("1"), ExecutionListener.NONE, nodes.interrupt);

        ExecutionError error = assertInstanceOf(Outcome.Failed.class, outcome).error();
        assertEquals("graph.DependencyCycleError", error.exceptionType());
        assertEquals("Dependency cycle detected", error.exceptionMessage());
        assertEquals("[]", error.currentInputs().toString());
        assertEquals(List.of(), error.traceback());
    }

    @Test
    void nodeInstances_areKeptPerNodeIdBetweenPromptsUntilDropped() {
        String prompt = """
                {"1": {"class_type": "TestCounter", "inputs": {"value": 0}},
                 "2": {"class_type": "TestOutput", "inputs": {"value": ["1", 0]}}}""";
        assertEquals("{\"text\":[\"1\"]}", run(prompt).uiOutputs().get("2").toString());
        assertEquals("{\"text\":[\"2\"]}",
                run(prompt.replace("\"value\": 0", "\"value\": 1")).uiOutputs().get("2").toString());

        executor.dropNodeInstances();

        assertEquals("{\"text\":[\"1\"]}",
                run(prompt.replace("\"value\": 0", "\"value\": 2")).uiOutputs().get("2").toString());
    }

    @Test
    void dropNodeInstances_closesTheInstancesThatHoldResources() {
        List<String> closed = new ArrayList<>();
        NodeSpec spec = NodeSpec.builder("TestHolder").output(DataType.INT).outputNode().build();
        final class Holder implements Node, AutoCloseable {
            @Override
            public NodeSpec spec() {
                return spec;
            }

            @Override
            public NodeResult execute(NodeInputs inputs, NodeContext ctx) {
                return NodeResult.of(1L);
            }

            @Override
            public void close() {
                closed.add("holder");
            }
        }
        PromptExecutor holders = new PromptExecutor(NodeRegistry.of(List.of(Holder::new)), DataDirs.of(tmp), cache);
        ObjectNode prompt = (ObjectNode) json("""
                {"1": {"class_type": "TestHolder", "inputs": {}}, "2": {"class_type": "TestHolder", "inputs": {}}}""");
        assertInstanceOf(Outcome.Success.class,
                holders.execute("p1", prompt, null, List.of("1", "2"), ExecutionListener.NONE, nodes.interrupt));
        assertEquals(List.of(), closed);

        holders.dropNodeInstances();

        assertEquals(List.of("holder", "holder"), closed);
    }

    @Test
    void cachedOutputWithoutUi_isReplayedWithNullOutput() {
        String prompt = """
                {"1": {"class_type": "TestInt", "inputs": {"value": 1}},
                 "2": {"class_type": "TestSink", "inputs": {"value": ["1", 0]}}}""";
        run(prompt);
        Outcome second = run(prompt);
        assertEquals(List.of("start", "cached [1, 2]", "executed 2 null", "finished 2"), listener.events);
        assertTrue(second.uiOutputs().isEmpty());
    }

    @Test
    void uiOutputs_includeCachedNodesOutsideThePartialTargets() {
        String prompt = """
                {"1": {"class_type": "TestInt", "inputs": {"value": 1}},
                 "2": {"class_type": "TestOutput", "inputs": {"value": ["1", 0]}},
                 "3": {"class_type": "TestOutput", "inputs": {"value": ["1", 0], "label": "b"}}}""";
        run(prompt);
        Outcome partial = run(prompt, List.of("2"));
        assertEquals(List.of("2", "3"), List.copyOf(partial.uiOutputs().keySet()));
        assertEquals(List.of("start", "cached [1, 2, 3]", "executed 2 {\"text\":[\"1\"]}", "finished 2"),
                listener.events);
    }

    @Test
    void undeclaredInputs_areNotScheduledNorPassed() {
        run("""
                {"1": {"class_type": "TestInt", "inputs": {"value": 1, "stray": ["9", 0]}},
                 "2": {"class_type": "TestOutput", "inputs": {"value": ["1", 0]}},
                 "9": {"class_type": "TestInt", "inputs": {"value": 9}}}""");
        assertEquals(List.of("TestInt#1", "TestOutput#2"), nodes.runs);
    }

    @Test
    void seedAboveTheLongRange_reachesTheNodeUnchanged() {
        // 2^63 + 5: a BigInteger for the node, whose libtorch bit pattern is Long.MIN_VALUE + 5
        run("{\"1\": {\"class_type\": \"TestSeed\", \"inputs\": {\"seed\": 9223372036854775813}}}");
        assertEquals("executed 1 {\"text\":[\"9223372036854775813 bits " + (Long.MIN_VALUE + 5) + "\"]}",
                listener.events.get(3));

        run("{\"1\": {\"class_type\": \"TestSeed\", \"inputs\": {\"seed\": \"18446744073709551615\"}}}");
        assertEquals("executed 1 {\"text\":[\"18446744073709551615 bits -1\"]}", listener.events.get(3));
    }

    static JsonNode parse(String text) {
        return json(text);
    }
}
