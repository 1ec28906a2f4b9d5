package dev.bakehouse.lora.ops;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Tensor bytes computed on one background thread a few tensors ahead of a writer that asks for
 * them in a known order, so computing the next patched tensor overlaps writing the current one
 * (the writer's time is mostly the kernel's page copies). At most {@code ahead} results wait
 * beyond the one asked for, which bounds the memory held.
 */
final class ComputeAhead implements AutoCloseable {

    /** Computes one tensor's bytes. */
    @FunctionalInterface
    interface Task {
        ByteBuffer compute() throws IOException;
    }

    private final ExecutorService pool;
    private final List<String> order = new ArrayList<>();
    private final Map<String, Integer> positions = new HashMap<>();
    private final Map<String, Task> tasks;
    private final Map<String, Future<ByteBuffer>> started = new HashMap<>();
    private final int ahead;
    private int submitted;

    /**
     * @param writeOrder every tensor name in the order the writer asks for them; only those with
     *                   a task are computed here
     */
    ComputeAhead(List<String> writeOrder, Map<String, Task> tasks, int ahead, String threadName) {
        this.tasks = new LinkedHashMap<>(tasks);
        this.ahead = ahead;
        for (String name : writeOrder) {
            if (tasks.containsKey(name)) {
                positions.put(name, order.size());
                order.add(name);
            }
        }
        if (order.size() != tasks.size()) {
            throw new IllegalArgumentException("tasks for tensors the writer never asks for: "
                    + tasks.keySet().stream().filter(k -> !positions.containsKey(k)).toList());
        }
        pool = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
    }

    /** The bytes of {@code name}, after starting the next {@code ahead} tasks. */
    ByteBuffer take(String name) throws IOException {
        Integer at = positions.get(name);
        if (at == null) {
            throw new IllegalArgumentException("no task for tensor '" + name + "'");
        }
        while (submitted < order.size() && submitted <= at + ahead) {
            String next = order.get(submitted++);
            Task task = tasks.remove(next);
            started.put(next, pool.submit(task::compute));
        }
        Future<ByteBuffer> result = started.remove(name);
        if (result == null) {
            throw new IllegalStateException("tensor '" + name + "' asked for twice");
        }
        try {
            return result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while computing tensor '" + name + "'");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof UncheckedIOException io) {
                throw io.getCause();
            }
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IOException("computing tensor '" + name + "' failed: " + cause, cause);
        }
    }

    /**
     * Cancels what has not started and waits for the running task: its arrays live in the
     * caller's NDManager, which must not close under it.
     */
    @Override
    public void close() {
        started.values().forEach(f -> f.cancel(false));
        pool.shutdown();
        boolean interrupted = false;
        while (true) {
            try {
                if (pool.awaitTermination(1, TimeUnit.MINUTES)) {
                    break;
                }
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
