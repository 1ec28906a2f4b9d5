package dev.bakehouse.server.ws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bakehouse.server.json.Json;
import io.javalin.websocket.WsConfig;
import io.javalin.websocket.WsContext;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.IntSupplier;

/**
 * The WebSocket side of the protocol (spec §5): registers sockets by client id, answers feature
 * negotiation, and routes events — queue {@code status} to everyone, a prompt's events to its
 * client only (spec §5.4).
 */
public final class WsHub implements AutoCloseable {
    private static final String CLIENT_ATTRIBUTE = "bakehouse.client";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<String, WsClient> clients = new ConcurrentHashMap<>();
    private final ExecutorService senders;
    private final IntSupplier queueRemaining;
    private final JsonNode serverFeatures;
    private volatile Function<String, String> runningNodeOfClient = sid -> null;

    /**
     * @param queueRemaining current pending + running count, for the on-connect {@code status}
     * @param serverFeatures the object of {@code GET /features}, sent in reply to feature flags
     */
    public WsHub(IntSupplier queueRemaining, JsonNode serverFeatures) {
        this.queueRemaining = queueRemaining;
        this.serverFeatures = serverFeatures;
        AtomicInteger threads = new AtomicInteger();
        this.senders =
                Executors.newFixedThreadPool(
                        Math.max(2, Runtime.getRuntime().availableProcessors()),
                        r -> {
                            Thread thread = new Thread(r, "ws-send-" + threads.incrementAndGet());
                            thread.setDaemon(true);
                            return thread;
                        });
    }

    /**
     * Tells the hub how to find the node currently running for a client id (null when none), for
     * the {@code executing} hint sent to a reconnecting client (spec §5.1).
     */
    public void runningNodeOfClient(Function<String, String> lookup) {
        this.runningNodeOfClient = lookup;
    }

    /** Installs the socket handlers on a Javalin WebSocket endpoint. */
    public void configure(WsConfig ws) {
        ws.onConnect(this::connected);
        ws.onClose(ctx -> closed(ctx));
        ws.onError(ctx -> closed(ctx));
        ws.onMessage(ctx -> message(ctx, ctx.message()));
    }

    private void connected(WsContext ctx) {
        ctx.session.setIdleTimeout(java.time.Duration.ZERO);
        String requested = ctx.queryParam("clientId");
        String sid = requested == null || requested.isEmpty() ? newSid() : requested;
        WsClient client = new WsClient(sid, ctx, senders);
        ctx.attribute(CLIENT_ATTRIBUTE, client);
        clients.put(sid, client);
        client.sendText(frame(Events.STATUS, Events.status(queueRemaining.getAsInt(), sid)));
        String runningNode = runningNodeOfClient.apply(sid);
        if (runningNode != null) {
            client.sendText(frame(Events.EXECUTING, Events.executingOnReconnect(runningNode)));
        }
    }

    private void closed(WsContext ctx) {
        WsClient client = ctx.attribute(CLIENT_ATTRIBUTE);
        if (client == null) {
            return;
        }
        client.closed();
        // Only if the id still points at this socket: a reconnect may already have replaced it.
        clients.remove(client.sid(), client);
    }

    private void message(WsContext ctx, String text) {
        WsClient client = ctx.attribute(CLIENT_ATTRIBUTE);
        if (client == null || !client.takeFirstMessage()) {
            return;
        }
        JsonNode message;
        try {
            message = Json.parse(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return;
        }
        if (Events.FEATURE_FLAGS.equals(message.path("type").asText()) && message.path("data").isObject()) {
            client.featureFlags(message.get("data"));
            client.sendText(frame(Events.FEATURE_FLAGS, serverFeatures));
        }
    }

    /** Sends to every socket. */
    public void broadcast(String type, JsonNode data) {
        String frame = frame(type, data);
        clients.values().forEach(client -> client.sendText(frame));
    }

    /** Sends to the socket registered under this client id, if connected. */
    public void sendTo(String clientId, String type, JsonNode data) {
        if (clientId == null) {
            return;
        }
        WsClient client = clients.get(clientId);
        if (client != null) {
            client.sendText(frame(type, data));
        }
    }

    /**
     * One progress step with a preview, per socket in the reference's order (spec §5.6):
     * {@code progress_state}, the type-4 frame (negotiated sockets), {@code progress}, the type-1
     * frame (the others). To the prompt's client; for a prompt without client to every socket,
     * with legacy previews only, as the reference broadcasts.
     */
    public void sendProgressWithPreview(
            String clientId, ObjectNode progressState, ObjectNode progress, PreviewFrames preview) {
        String stateFrame = frame(Events.PROGRESS_STATE, progressState);
        String progressFrame = frame(Events.PROGRESS, progress);
        Iterable<WsClient> targets;
        if (clientId == null) {
            targets = clients.values();
        } else {
            WsClient client = clients.get(clientId);
            targets = client == null ? java.util.List.of() : java.util.List.of(client);
        }
        byte[] legacy = null;
        byte[] withMetadata = null;
        for (WsClient client : targets) {
            boolean metadata = clientId != null && client.supportsPreviewMetadata();
            client.sendText(stateFrame);
            if (metadata) {
                withMetadata = withMetadata == null ? preview.withMetadata() : withMetadata;
                client.sendBinary(withMetadata);
            }
            client.sendText(progressFrame);
            if (!metadata) {
                legacy = legacy == null ? preview.legacy() : legacy;
                client.sendBinary(legacy);
            }
        }
    }

    /** Broadcasts the queue {@code status} (no sid). */
    public void broadcastStatus(int queueRemaining) {
        broadcast(Events.STATUS, Events.status(queueRemaining, null));
    }

    public int connectedClients() {
        return clients.size();
    }

    private static String frame(String type, JsonNode data) {
        return Json.write(Events.envelope(type, data));
    }

    private static String newSid() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    @Override
    public void close() {
        senders.shutdownNow();
    }
}
