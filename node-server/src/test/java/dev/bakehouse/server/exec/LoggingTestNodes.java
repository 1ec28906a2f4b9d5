package dev.bakehouse.server.exec;

import static dev.bakehouse.server.testing.ServerTestNodes.text;

import dev.bakehouse.node.DataType;
import dev.bakehouse.node.HiddenInput;
import dev.bakehouse.node.ImageBatch;
import dev.bakehouse.node.InputSpec.BooleanInput;
import dev.bakehouse.node.InputSpec.ComboInput;
import dev.bakehouse.node.InputSpec.FloatInput;
import dev.bakehouse.node.InputSpec.IntInput;
import dev.bakehouse.node.InputSpec.SocketInput;
import dev.bakehouse.node.InputSpec.StringInput;
import dev.bakehouse.node.Node;
import dev.bakehouse.node.NodeContext;
import dev.bakehouse.node.NodeInputs;
import dev.bakehouse.node.NodeRegistry;
import dev.bakehouse.node.NodeResult;
import dev.bakehouse.node.NodeSpec;
import dev.bakehouse.node.OutputSpec;
import dev.bakehouse.node.ValidationResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.IntStream;

/**
 * The executor's test-only node pack: small nodes whose runs are logged, so tests can say which
 * nodes ran, in which order, with which inputs. Each test builds its own pack (no shared state).
 * Tests that start a whole server use {@link dev.bakehouse.server.testing.ServerTestNodes} instead.
 */
final class LoggingTestNodes {
    /** {@code "<class_type>#<node id>"} of every node call, in order. */
    final List<String> runs = new ArrayList<>();
    /** What {@code TestChanging} returns as its fingerprint. */
    Object fingerprint = "v1";
    /** The flag {@code TestInterrupter} sets on itself. */
    final InterruptFlag interrupt = new InterruptFlag();

    /** What a test node does when it runs. */
    private interface Body {
        NodeResult run(NodeInputs in, NodeContext ctx) throws Exception;
    }

    /** A test node's own {@code validateInputs}, for nodes that declare custom validation. */
    private interface Check {
        ValidationResult validate(NodeInputs literals, Map<String, String> linkedTypes);
    }

    /** A node built from a spec and functions, logging each call. */
    private final class LambdaNode implements Node {
        private final NodeSpec spec;
        private final Body body;
        private final Supplier<Object> fingerprint;
        private final Check check;
        private int calls;

        LambdaNode(NodeSpec spec, Body body, Supplier<Object> fingerprint, Check check) {
            this.spec = spec;
            this.body = body;
            this.fingerprint = fingerprint;
            this.check = check;
        }

        @Override
        public NodeSpec spec() {
            return spec;
        }

        @Override
        public NodeResult execute(NodeInputs inputs, NodeContext ctx) throws Exception {
            calls++;
            runs.add(spec.name() + "#" + ctx.nodeId());
            return body.run(inputs, ctx);
        }

        @Override
        public Object fingerprint(NodeInputs literalInputs) {
            return fingerprint == null ? NO_FINGERPRINT : fingerprint.get();
        }

        @Override
        public ValidationResult validateInputs(NodeInputs literals, Map<String, String> linkedTypes) {
            return check == null ? ValidationResult.ok() : check.validate(literals, linkedTypes);
        }
    }

    /** The whole pack, one declaration per node: a table to read down, hence one long method. */
    NodeRegistry registry() {
        List<Supplier<? extends Node>> nodes = new ArrayList<>();
        add(nodes, NodeSpec.builder("TestInt").required(IntInput.of("value", 0, -100, 100))
                .output(DataType.INT).build(), (in, ctx) -> NodeResult.of(in.getLong("value")));
        add(nodes, NodeSpec.builder("TestAdd")
                        .required(SocketInput.of("a", DataType.INT), SocketInput.of("b", DataType.INT))
                        .output(OutputSpec.of(DataType.INT, "sum")).build(),
                (in, ctx) -> NodeResult.of(in.getLong("a") + in.getLong("b")));
        add(nodes, NodeSpec.builder("TestOutput").outputNode()
                        .required(SocketInput.of("value", DataType.ANY))
                        .optional(StringInput.of("label", "")).build(),
                (in, ctx) -> NodeResult.ui(text(String.valueOf(in.get("value", Object.class)))));
        add(nodes, NodeSpec.builder("TestSink").outputNode()
                .required(SocketInput.of("value", DataType.ANY)).build(), (in, ctx) -> NodeResult.of());
        add(nodes, NodeSpec.builder("TestLoader")
                        .required(StringInput.of("name", "m"))
                        .output(DataType.MODEL).output(DataType.CLIP).output(DataType.VAE).build(),
                (in, ctx) -> NodeResult.of("model", "clip", "vae"));
        add(nodes, NodeSpec.builder("TestEmptyLatent").required(IntInput.of("width", 64, 8, 4096))
                .output(DataType.LATENT).build(), (in, ctx) -> NodeResult.of("latent"));
        add(nodes, NodeSpec.builder("TestEncode")
                        .required(StringInput.of("text", ""), SocketInput.of("clip", DataType.CLIP))
                        .output(DataType.CONDITIONING).build(),
                (in, ctx) -> NodeResult.of("cond:" + in.getString("text")));
        add(nodes, NodeSpec.builder("TestSampler")
                        .required(SocketInput.of("model", DataType.MODEL),
                                IntInput.of("seed", 0, 0, Long.MAX_VALUE),
                                SocketInput.of("positive", DataType.CONDITIONING),
                                SocketInput.of("negative", DataType.CONDITIONING),
                                SocketInput.of("latent_image", DataType.LATENT))
                        .output(DataType.LATENT).build(),
                (in, ctx) -> NodeResult.of("sampled"));
        add(nodes, NodeSpec.builder("TestDecode")
                        .required(SocketInput.of("samples", DataType.LATENT), SocketInput.of("vae", DataType.VAE))
                        .output(DataType.IMAGE).build(),
                (in, ctx) -> NodeResult.of("image"));
        add(nodes, NodeSpec.builder("TestLatentSink").outputNode()
                .required(SocketInput.of("samples", DataType.LATENT)).build(), (in, ctx) -> NodeResult.of());
        add(nodes, NodeSpec.builder("TestWidgets").outputNode()
                        .required(IntInput.of("steps", 20, 1, 100), FloatInput.of("cfg", 7.5, 0, 30),
                                StringInput.of("text", ""), BooleanInput.of("flag", false),
                                ComboInput.of("sampler", List.of("euler", "ddim")))
                        .build(),
                (in, ctx) -> NodeResult.ui(text(in.asMap().toString())));
        add(nodes, NodeSpec.builder("TestBigCombo").outputNode()
                        .required(ComboInput.of("choice",
                                IntStream.range(0, 25).mapToObj(i -> "o" + i).toList())).build(),
                (in, ctx) -> NodeResult.of());
        add(nodes, NodeSpec.builder("TestValidated").outputNode()
                        .required(ComboInput.of("name", List.of("ok-listed")), IntInput.of("count", 1, 1, 5))
                        .customValidation("name").build(),
                (in, ctx) -> NodeResult.of(), null, (literals, linkedTypes) -> {
                    Object name = literals.asMap().get("name");
                    if ("bare".equals(name)) {
                        return ValidationResult.invalid();
                    }
                    return name == null || name.toString().startsWith("ok")
                            ? ValidationResult.ok() : ValidationResult.invalid("must start with ok");
                });
        add(nodes, NodeSpec.builder("TestTyped").outputNode()
                        .required(SocketInput.of("value", DataType.STRING)).validatesInputTypes().build(),
                (in, ctx) -> NodeResult.of(), null, (literals, linkedTypes) ->
                        linkedTypes.getOrDefault("value", "").equals("INT")
                                ? ValidationResult.ok() : ValidationResult.invalid("needs INT, got " + linkedTypes));
        add(nodes, NodeSpec.builder("TestChanging").required(IntInput.of("value", 0, 0, 10))
                .output(DataType.INT).build(), (in, ctx) -> NodeResult.of(in.getLong("value")), () -> {
                    if (fingerprint instanceof RuntimeException e) {
                        throw e;
                    }
                    return fingerprint;
                }, null);
        add(nodes, NodeSpec.builder("TestList").required(IntInput.of("count", 1, 0, 10))
                        .output(OutputSpec.of(DataType.INT).asList()).build(),
                (in, ctx) -> NodeResult.of(new ArrayList<Object>(
                        IntStream.range(0, in.getInt("count")).mapToObj(i -> (long) i).toList())));
        add(nodes, NodeSpec.builder("TestSum").inputIsList()
                        .required(SocketInput.of("values", DataType.INT)).output(DataType.INT).build(),
                (in, ctx) -> NodeResult.of(in.getList("values", Long.class).stream()
                        .mapToLong(Long::longValue).sum()));
        add(nodes, NodeSpec.builder("TestFail").required(SocketInput.of("value", DataType.INT))
                        .output(DataType.INT).build(),
                (in, ctx) -> {
                    throw new IllegalStateException("boom at " + in.getLong("value"));
                });
        add(nodes, NodeSpec.builder("TestInterrupter").required(SocketInput.of("value", DataType.INT))
                        .output(DataType.INT).build(),
                (in, ctx) -> {
                    interrupt.request();
                    ctx.progress(1, 2);
                    return NodeResult.of(in.getLong("value"));
                });
        add(nodes, NodeSpec.builder("TestFlagSetter").required(SocketInput.of("value", DataType.INT))
                        .output(DataType.INT).build(),
                (in, ctx) -> {
                    interrupt.request();
                    return NodeResult.of(in.getLong("value"));
                });
        add(nodes, NodeSpec.builder("TestProgress").required(SocketInput.of("value", DataType.INT))
                        .output(DataType.INT).build(),
                (in, ctx) -> {
                    for (int step = 1; step <= 3; step++) {
                        ctx.progress(step, 3);
                    }
                    return NodeResult.of(in.getLong("value"));
                });
        add(nodes, NodeSpec.builder("TestPreview").required(SocketInput.of("value", DataType.INT))
                        .output(DataType.INT).build(),
                (in, ctx) -> {
                    ctx.progress(1, 2, new ImageBatch(1, 2, 3, 3, new float[18]));
                    ctx.progress(2, 2, null);
                    return NodeResult.of(in.getLong("value"));
                });
        add(nodes, NodeSpec.builder("TestUnique").required(IntInput.of("value", 0, 0, 10))
                        .hidden(HiddenInput.UNIQUE_ID).output(DataType.INT).build(),
                (in, ctx) -> NodeResult.of(in.getLong("value")));
        add(nodes, NodeSpec.builder("TestOpaque").output(DataType.MODEL).build(),
                (in, ctx) -> NodeResult.of(new StringBuilder("opaque-model")));
        add(nodes, NodeSpec.builder("TestModelFail").required(SocketInput.of("model", DataType.MODEL),
                        IntInput.of("seed", 0, 0, 100)).output(DataType.INT).build(),
                (in, ctx) -> {
                    throw new IllegalArgumentException("bad model");
                });
        add(nodes, NodeSpec.builder("TestSeed").outputNode().required(IntInput.seed("seed")).build(),
                (in, ctx) -> NodeResult.ui(text(in.getBigInteger("seed") + " bits " + in.getSeed("seed").bits())));
        NodeSpec counter = NodeSpec.builder("TestCounter").required(IntInput.of("value", 0, 0, 10))
                .output(DataType.INT).build();
        nodes.add(() -> { // outputs how often this instance ran, so tests can see instance reuse
            LambdaNode[] self = new LambdaNode[1];
            self[0] = new LambdaNode(counter, (in, ctx) -> NodeResult.of((long) self[0].calls), null, null);
            return self[0];
        });
        return NodeRegistry.of(nodes);
    }

    private void add(List<Supplier<? extends Node>> nodes, NodeSpec spec, Body body) {
        add(nodes, spec, body, null, null);
    }

    private void add(List<Supplier<? extends Node>> nodes, NodeSpec spec, Body body, Supplier<Object> fingerprint,
                     Check check) {
        nodes.add(() -> new LambdaNode(spec, body, fingerprint, check));
    }
}
