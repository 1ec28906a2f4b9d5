package dev.bakehouse.server.logs;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Live log lines for the WebSocket clients that asked for them ({@code PATCH
 * /internal/logs/subscribe}, spec §3.15): each new console line goes to them in a {@code logs}
 * message. Lines written while nobody is subscribed are not queued.
 *
 * <p>The writer of a line only enqueues it; one thread of our own sends. Sending on the writer's
 * thread would hold the console lock while taking the socket's, and a socket that logs while
 * holding its own lock would then deadlock against it.
 */
public final class LogSubscriptions implements AutoCloseable {
    /** Lines waiting to be sent beyond this are dropped: a stuck sender must not grow the heap. */
    private static final int MAX_PENDING = 10_000;

    private final LogRing ring;
    private final BiConsumer<String, JsonNode> sendLogs;
    private final Set<String> clients = ConcurrentHashMap.newKeySet();
    private final LinkedBlockingQueue<LogRing.Entry> pending = new LinkedBlockingQueue<>(MAX_PENDING);
    private final Consumer<LogRing.Entry> listener = this::offer;
    private final Thread sender;

    /**
     * @param sendLogs sends a {@code logs} message's data to one client id
     */
    public LogSubscriptions(LogRing ring, BiConsumer<String, JsonNode> sendLogs) {
        this.ring = ring;
        this.sendLogs = sendLogs;
        this.sender = new Thread(this::sendLoop, "log-subscriptions");
        sender.setDaemon(true);
        sender.start();
        ring.addListener(listener);
    }

    public void subscribe(String clientId, boolean enabled) {
        if (enabled) {
            clients.add(clientId);
        } else {
            clients.remove(clientId);
        }
    }

    private void offer(LogRing.Entry line) {
        if (!clients.isEmpty()) {
            pending.offer(line);
        }
    }

    /** Sends what has queued up as one message per client, oldest line first. */
    private void sendLoop() {
        try {
            while (true) {
                List<LogRing.Entry> batch = new ArrayList<>();
                batch.add(pending.take());
                pending.drainTo(batch);
                JsonNode data = LogMessages.of(batch);
                clients.forEach(client -> sendLogs.accept(client, data));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        ring.removeListener(listener);
        sender.interrupt();
    }
}
