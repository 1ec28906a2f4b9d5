package dev.bakehouse.server.testing;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bakehouse.node.DataType;
import dev.bakehouse.node.InputSpec.IntInput;
import dev.bakehouse.node.InputSpec.StringInput;
import dev.bakehouse.node.Node;
import dev.bakehouse.node.NodeContext;
import dev.bakehouse.node.NodeInputs;
import dev.bakehouse.node.NodeResult;
import dev.bakehouse.node.NodeSpec;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The node pack for tests that run a whole server (and for the server benches): progress,
 * failure and a gate the test opens. The executor's own unit tests use a different pack,
 * {@code dev.bakehouse.server.exec.LoggingTestNodes}, whose nodes log every call in-process.
 */
public final class ServerTestNodes {
    private ServerTestNodes() {}

    /** A UI output that shows one line of text: {@code {"text": [value]}}. */
    public static ObjectNode text(String value) {
        ObjectNode ui = JsonNodeFactory.instance.objectNode();
        ui.putArray("text").add(value);
        return ui;
    }

    /** Controls {@link Gate} nodes: each run announces itself, then waits for {@link #open()}. */
    public static final class GateControl {
        private final BlockingQueue<String> entered = new LinkedBlockingQueue<>();
        private final CountDownLatch open = new CountDownLatch(1);

        /** Waits until a gate node runs; returns its prompt id. */
        public String awaitEntered() throws InterruptedException {
            String promptId = entered.poll(30, TimeUnit.SECONDS);
            if (promptId == null) {
                throw new AssertionError("no Gate node started within 30 s");
            }
            return promptId;
        }

        /** Waits without limit (for a child process that is killed from outside). */
        public String awaitEnteredForever() throws InterruptedException {
            return entered.take();
        }

        public void open() {
            open.countDown();
        }
    }

    public static List<Supplier<? extends Node>> all(GateControl gate) {
        return List.of(Steps::new, Fail::new, () -> new Gate(gate), Preview::new, Spaced::new);
    }

    /** Reports {@code steps} progress steps, then shows {@code text: ["<label>"]}. */
    public static final class Steps implements Node {
        private static final NodeSpec SPEC = NodeSpec.builder("TestSteps")
                .category("testing")
                .outputNode()
                .required(IntInput.of("steps", 3, 0, 1000), StringInput.of("label", "done"))
                .output(DataType.INT)
                .build();

        @Override
        public NodeSpec spec() {
            return SPEC;
        }

        @Override
        public NodeResult execute(NodeInputs inputs, NodeContext ctx) {
            long steps = inputs.getLong("steps");
            for (long i = 1; i <= steps; i++) {
                ctx.progress(i, steps);
            }
            return new NodeResult(List.of(steps), text(inputs.getString("label")));
        }
    }

    /** Always fails with "boom: <message>". */
    public static final class Fail implements Node {
        private static final NodeSpec SPEC = NodeSpec.builder("TestFail")
                .category("testing")
                .outputNode()
                .required(StringInput.of("message", "bad"))
                .build();

        @Override
        public NodeSpec spec() {
            return SPEC;
        }

        @Override
        public NodeResult execute(NodeInputs inputs, NodeContext ctx) {
            throw new IllegalStateException("boom: " + inputs.getString("message"));
        }
    }

    /**
     * Announces itself to its {@link GateControl}, then waits until the test opens the gate,
     * checking for interrupts while it waits (as a long node checks between steps).
     */
    public static final class Gate implements Node {
        private static final NodeSpec SPEC = NodeSpec.builder("TestGate")
                .category("testing")
                .outputNode()
                .required(IntInput.of("n", 0, 0, 1_000_000))
                .build();
        private final GateControl control;

        Gate(GateControl control) {
            this.control = control;
        }

        @Override
        public NodeSpec spec() {
            return SPEC;
        }

        @Override
        public NodeResult execute(NodeInputs inputs, NodeContext ctx) throws InterruptedException {
            control.entered.add(ctx.promptId());
            while (!control.open.await(20, TimeUnit.MILLISECONDS)) {
                ctx.checkInterrupted();
            }
            return NodeResult.ui(text("gate " + inputs.getLong("n")));
        }
    }

    /** Reports two steps, each with a {@code width}×16 preview image. */
    public static final class Preview implements Node {
        private static final NodeSpec SPEC = NodeSpec.builder("TestPreview")
                .category("testing")
                .outputNode()
                .required(IntInput.of("width", 16, 1, 4096))
                .build();

        @Override
        public NodeSpec spec() {
            return SPEC;
        }

        @Override
        public NodeResult execute(NodeInputs inputs, NodeContext ctx) {
            int width = inputs.getInt("width");
            float[] pixels = new float[16 * width * 3];
            java.util.Arrays.fill(pixels, 0.5f);
            for (int step = 1; step <= 2; step++) {
                ctx.progress(step, 2, new dev.bakehouse.node.ImageBatch(1, 16, width, 3, pixels));
            }
            return NodeResult.ui(JsonNodeFactory.instance.objectNode());
        }
    }

    /** A class name with spaces, brackets, a plus and a percent sign, as node packs use. */
    public static final class Spaced implements Node {
        private static final NodeSpec SPEC = NodeSpec.builder("Test spaced+name [100%]")
                .category("testing")
                .outputNode()
                .build();

        @Override
        public NodeSpec spec() {
            return SPEC;
        }

        @Override
        public NodeResult execute(NodeInputs inputs, NodeContext ctx) {
            return NodeResult.ui(JsonNodeFactory.instance.objectNode());
        }
    }
}
