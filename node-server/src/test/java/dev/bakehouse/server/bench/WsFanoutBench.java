package dev.bakehouse.server.bench;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bakehouse.node.BasicNodes;
import dev.bakehouse.node.InputSpec.IntInput;
import dev.bakehouse.node.Node;
import dev.bakehouse.node.NodeContext;
import dev.bakehouse.node.NodeInputs;
import dev.bakehouse.node.NodeRegistry;
import dev.bakehouse.node.NodeResult;
import dev.bakehouse.node.NodeSpec;
import dev.bakehouse.server.BakehouseServer;
import dev.bakehouse.server.ServerConfig;
import dev.bakehouse.server.json.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * WebSocket fan-out: 50 clients connected, prompts without client id whose node reports progress
 * steps, so every step is broadcast ({@code progress_state} + {@code progress}) to all 50.
 *
 * <p>Two runs: a flood of {@value #STEPS} steps back to back gives delivered messages per second
 * over all clients (the capacity); a paced run of {@value #PACED_STEPS} steps every
 * {@value #PACED_INTERVAL_US} µs (far faster than real sampling steps, within capacity) gives the
 * latency from the node's progress call to a client receiving that step's {@code progress}.
 * In a flood the latency is only queueing behind earlier steps, so it is not reported.
 */
public final class WsFanoutBench {
    private static final int CLIENTS = 50;
    private static final int STEPS = 2000;
    private static final int PACED_STEPS = 400;
    private static final int PACED_INTERVAL_US = 5000;
    /** When each step was reported, by step number; same JVM, so nanoTime is comparable. */
    private static final long[] STAMPS = new long[STEPS + 1];

    private WsFanoutBench() {}

    /** Reports {@code steps} progress steps as fast as it can, stamping each. */
    static final class StampedSteps implements Node {
        private static final NodeSpec SPEC = NodeSpec.builder("BenchStampedSteps")
                .outputNode()
                .required(IntInput.of("steps", 1, 1, STEPS), IntInput.of("interval_us", 0, 0, 1_000_000))
                .build();

        @Override
        public NodeSpec spec() {
            return SPEC;
        }

        @Override
        public NodeResult execute(NodeInputs inputs, NodeContext ctx) {
            long steps = inputs.getLong("steps");
            long interval = inputs.getLong("interval_us") * 1000;
            long next = System.nanoTime();
            for (int i = 1; i <= steps; i++) {
                while (System.nanoTime() < next) {
                    java.util.concurrent.locks.LockSupport.parkNanos(next - System.nanoTime());
                }
                next += interval;
                STAMPS[i] = System.nanoTime();
                ctx.progress(i, steps);
            }
            return NodeResult.ui(JsonNodeFactory.instance.objectNode());
        }
    }

    public static void main(String[] args) throws Exception {
        ServerConfig config = ServerConfig.defaults(Files.createTempDirectory("bakehouse-bench"))
                .withPort(0).withStartGrace(Duration.ZERO);
        BakehouseServer server = BakehouseServer.builder(config)
                .nodes(dirs -> NodeRegistry.of(BasicNodes.all(dirs)).with(List.of(StampedSteps::new)))
                .start();
        try {
            Run flood = run(server, STEPS, 0);
            System.out.printf("BENCH ws_fanout_50_flood %.0f msgs/s%n", flood.delivered() / flood.seconds());
            Run paced = run(server, PACED_STEPS, PACED_INTERVAL_US);
            long[] all = paced.latenciesSorted();
            System.out.printf("BENCH ws_fanout_50_latency_p50 %.3f ms%n", all[all.length / 2] / 1e6);
            System.out.printf("BENCH ws_fanout_50_latency_p99 %.3f ms%n", all[(int) (all.length * 0.99)] / 1e6);
        } finally {
            server.close();
        }
    }

    private record Run(long delivered, double seconds, long[] latenciesSorted) {}

    /** Connects 50 clients, runs one prompt of {@code steps} steps and waits for the last step everywhere. */
    private static Run run(BakehouseServer server, int steps, int intervalMicros) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        CountDownLatch allDone = new CountDownLatch(CLIENTS);
        AtomicLong delivered = new AtomicLong();
        long[][] latencies = new long[CLIENTS][steps + 1];
        List<WebSocket> sockets = new ArrayList<>();
        try {
            for (int c = 0; c < CLIENTS; c++) {
                sockets.add(http.newWebSocketBuilder()
                        .buildAsync(URI.create("ws://127.0.0.1:" + server.port() + "/ws?clientId=fan" + c),
                                new Receiver(latencies[c], steps, delivered, allDone))
                        .join());
            }
            ObjectNode body = Json.object();
            ObjectNode node = body.putObject("prompt").putObject("1");
            node.put("class_type", "BenchStampedSteps");
            node.putObject("inputs").put("steps", steps).put("interval_us", intervalMicros);
            long start = System.nanoTime();
            http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/prompt"))
                    .POST(HttpRequest.BodyPublishers.ofString(Json.write(body))).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (!allDone.await(5, TimeUnit.MINUTES)) {
                throw new IllegalStateException("clients did not receive every step within 5 minutes");
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            long[] sorted = Arrays.stream(latencies).flatMapToLong(l -> Arrays.stream(l, 1, steps + 1)).sorted().toArray();
            return new Run(delivered.get(), seconds, sorted);
        } finally {
            sockets.forEach(WebSocket::abort);
        }
    }

    /** Counts every text frame and records the latency of each {@code progress} step. */
    private static final class Receiver implements WebSocket.Listener {
        private final long[] latency;
        private final int lastStep;
        private final AtomicLong delivered;
        private final CountDownLatch done;
        private final StringBuilder partial = new StringBuilder();

        Receiver(long[] latency, int lastStep, AtomicLong delivered, CountDownLatch done) {
            this.latency = latency;
            this.lastStep = lastStep;
            this.delivered = delivered;
            this.done = done;
        }

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                long now = System.nanoTime();
                String text = partial.toString();
                partial.setLength(0);
                delivered.incrementAndGet();
                if (text.startsWith("{\"type\":\"progress\"")) {
                    int step = Json.parseTrusted(text).path("data").path("value").asInt();
                    latency[step] = now - STAMPS[step];
                    if (step == lastStep) {
                        done.countDown();
                    }
                }
            }
            socket.request(1);
            return null;
        }
    }
}
