package dev.bakehouse.node.train;

import dev.bakehouse.train.run.TrainingControl;
import java.util.Collection;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The live controls of training prompts, by prompt id: the server's
 * {@code POST /bakehouse/train/{prompt_id}/sample|save|stop} puts requests in, and the prompt's
 * TrainLoRA run takes them after each optimizer step. A request for a prompt that is queued but
 * not training yet waits for its first step. Shared by the server's routes and the TrainLoRA
 * nodes of one registry; thread-safe.
 */
public final class LiveTrainings {
    private final Map<String, Requests> byPrompt = new ConcurrentHashMap<>();

    /** Asks the TrainLoRA run of {@code promptId} for {@code request} after its next step. */
    public void request(String promptId, TrainingControl.Request request) {
        byPrompt.computeIfAbsent(promptId, id -> new Requests()).add(request);
    }

    /** Drops the requests of prompts other than these (finished or deleted ones: their requests lapse). */
    public void retainOnly(Collection<String> promptIds) {
        byPrompt.keySet().retainAll(Set.copyOf(promptIds));
    }

    /**
     * The requests a TrainLoRA run of {@code promptId} takes, including those made before it
     * started. Each run {@link #close closes} its own, so a later TrainLoRA node of the same prompt
     * starts with only the requests made after this run ended.
     */
    Requests open(String promptId) {
        return byPrompt.computeIfAbsent(promptId, id -> new Requests());
    }

    /** The run ended: its requests are dropped (those it did not take were reported as lapsed). */
    void close(String promptId, Requests requests) {
        byPrompt.remove(promptId, requests);
    }

    /** One run's pending requests; remembers whether a stop was taken, so the run ends kept, not interrupted. */
    static final class Requests implements TrainingControl {
        private final EnumSet<Request> pending = EnumSet.noneOf(Request.class);
        private boolean stopTaken;

        synchronized void add(Request request) {
            pending.add(request);
        }

        @Override
        public synchronized Set<Request> take() {
            EnumSet<Request> taken = EnumSet.copyOf(pending);
            pending.clear();
            stopTaken |= taken.contains(Request.STOP);
            return taken;
        }

        /** Whether the run took a stop request. */
        synchronized boolean stopTaken() {
            return stopTaken;
        }
    }
}
