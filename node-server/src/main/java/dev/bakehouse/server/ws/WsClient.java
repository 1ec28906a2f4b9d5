package dev.bakehouse.server.ws;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.websocket.WsContext;
import java.nio.ByteBuffer;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WebSocket connection. Frames are queued and written by at most one sender task at a time,
 * so frames reach the socket in the order they were produced (spec §5.8 rule 5) while the worker
 * thread never blocks on a slow client. A client that falls {@value #MAX_BACKLOG} frames behind
 * is disconnected (it reconnects and re-reads state over HTTP).
 */
final class WsClient {
    static final int MAX_BACKLOG = 10_000;
    private static final Logger LOG = LoggerFactory.getLogger(WsClient.class);

    private final String sid;
    private final WsContext socket;
    private final Executor senders;
    private final Queue<Object> outbox = new ConcurrentLinkedQueue<>();
    private final AtomicInteger backlog = new AtomicInteger();
    private final AtomicBoolean draining = new AtomicBoolean();
    private final AtomicBoolean firstMessageSeen = new AtomicBoolean();
    private volatile JsonNode featureFlags;
    private volatile boolean open = true;

    WsClient(String sid, WsContext socket, Executor senders) {
        this.sid = sid;
        this.socket = socket;
        this.senders = senders;
    }

    String sid() {
        return sid;
    }

    WsContext socket() {
        return socket;
    }

    /** True once; only the first text frame may negotiate features (spec §5.3). */
    boolean takeFirstMessage() {
        return firstMessageSeen.compareAndSet(false, true);
    }

    void featureFlags(JsonNode flags) {
        this.featureFlags = flags;
    }

    boolean supportsPreviewMetadata() {
        JsonNode flags = featureFlags;
        return flags != null && flags.path("supports_preview_metadata").asBoolean(false);
    }

    void sendText(String frame) {
        enqueue(frame);
    }

    void sendBinary(byte[] frame) {
        enqueue(frame);
    }

    void closed() {
        open = false;
        outbox.clear();
    }

    private void enqueue(Object frame) {
        if (!open) {
            return;
        }
        if (backlog.incrementAndGet() > MAX_BACKLOG) {
            LOG.warn("WebSocket client {} is {} frames behind; disconnecting it", sid, MAX_BACKLOG);
            open = false;
            outbox.clear();
            socket.closeSession(1008, "client too slow");
            return;
        }
        outbox.add(frame);
        if (draining.compareAndSet(false, true)) {
            senders.execute(this::drain);
        }
    }

    private void drain() {
        while (true) {
            Object frame;
            while ((frame = outbox.poll()) != null) {
                backlog.decrementAndGet();
                write(frame);
            }
            draining.set(false);
            // A frame added between the last poll and the flag reset would otherwise wait forever.
            if (outbox.isEmpty() || !draining.compareAndSet(false, true)) {
                return;
            }
        }
    }

    private void write(Object frame) {
        if (!open || !socket.session.isOpen()) {
            return;
        }
        try {
            if (frame instanceof String text) {
                socket.send(text);
            } else {
                socket.send(ByteBuffer.wrap((byte[]) frame));
            }
        } catch (Exception e) {
            // Not only RuntimeException: Javalin's Kotlin send throws Jetty's IOException undeclared
            // when the peer has just gone, which would otherwise kill the sender thread.
            LOG.debug("send to WebSocket client {} failed: {}", sid, e.toString());
        }
    }
}
