package dev.bakehouse.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bakehouse.server.json.Json;
import dev.bakehouse.server.queue.PromptQueue;
import dev.bakehouse.server.queue.QueueItem;
import dev.bakehouse.server.store.HistoryStore;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code GET /jobs} and {@code GET /jobs/{job_id}}: the queue and the history as one list of
 * jobs. Not in the spec's baseline (ComfyUI 0.3.64); newer official frontends read their queue
 * and history panels only from these routes, so they are a read-only view of {@link PromptQueue}
 * and {@link HistoryStore} in the shape those frontends validate. Order: running, pending (queue
 * order), then finished prompts newest first. {@code create_time} is the submitter's
 * {@code extra_data.create_time} when given; otherwise a finished job's start time, and 0 for a
 * queued one (this server records no submission time).
 */
public final class JobRoutes {
    static final List<String> STATUSES = List.of("pending", "in_progress", "completed", "failed", "cancelled");
    private static final int DEFAULT_LIMIT = 100;

    private final PromptQueue queue;
    private final HistoryStore history;

    public JobRoutes(PromptQueue queue, HistoryStore history) {
        this.queue = queue;
        this.history = history;
    }

    public void register(ApiRouter router) {
        router.get("/jobs", this::list);
        router.get("/jobs/{job_id}", this::one);
    }

    private void list(Context ctx) {
        Set<String> wanted = statuses(ctx.queryParam("status"));
        List<ObjectNode> jobs = new ArrayList<>();
        queue.running().ifPresent(item -> jobs.add(queued(item, "in_progress")));
        queue.pending().forEach(item -> jobs.add(queued(item, "pending")));
        jobs.removeIf(job -> !wanted.contains(job.get("status").asText()));
        if (wanted.contains("completed") || wanted.contains("failed") || wanted.contains("cancelled")) {
            List<ObjectNode> finished = new ArrayList<>();
            history.select(null, null).forEach((id, entry) -> finished.add(0, finished(id, Json.parseTrusted(entry))));
            finished.removeIf(job -> !wanted.contains(job.get("status").asText()));
            jobs.addAll(finished);
        }
        int offset = Math.max(0, intParam(ctx, "offset", 0));
        int limit = Math.max(0, intParam(ctx, "limit", DEFAULT_LIMIT));
        int end = (int) Math.min(jobs.size(), (long) offset + limit);
        List<ObjectNode> page = jobs.subList(Math.min(offset, end), end);

        ObjectNode body = Json.object();
        ArrayNode array = body.putArray("jobs");
        page.forEach(array::add);
        ObjectNode pagination = body.putObject("pagination");
        pagination.put("offset", offset);
        pagination.put("limit", limit);
        pagination.put("total", jobs.size());
        pagination.put("has_more", offset + page.size() < jobs.size());
        JsonBodies.respond(ctx, body);
    }

    /** One job with its prompt, extra data and outputs; 404 for an id neither queued nor in history. */
    private void one(Context ctx) {
        String id = ctx.pathParam("job_id");
        Optional<String> entry = history.get(id);
        ObjectNode job;
        if (entry.isPresent()) {
            JsonNode parsed = Json.parseTrusted(entry.get());
            job = finished(id, parsed);
            job.set("workflow", workflow(parsed.path("prompt").path(2), parsed.path("prompt").path(3)));
            job.set("outputs", parsed.path("outputs"));
        } else {
            Optional<QueueItem> running = queue.running().filter(item -> item.promptId().equals(id));
            Optional<QueueItem> item = running.or(
                    () -> queue.pending().stream().filter(pending -> pending.promptId().equals(id)).findFirst());
            if (item.isEmpty()) {
                ctx.status(404);
                JsonBodies.respond(ctx, Json.object().put("error", "Job not found: " + id));
                return;
            }
            job = queued(item.get(), running.isPresent() ? "in_progress" : "pending");
            ArrayNode publicItem = item.get().toPublicJson();
            job.set("workflow", workflow(publicItem.get(2), publicItem.get(3)));
            job.putObject("outputs");
        }
        JsonBodies.respond(ctx, job);
    }

    private static ObjectNode queued(QueueItem item, String status) {
        ObjectNode job = Json.object();
        job.put("id", item.promptId());
        job.put("status", status);
        job.put("create_time", item.extraData().path("create_time").asLong(0));
        workflowId(item.extraData()).ifPresent(id -> job.put("workflow_id", id));
        return job;
    }

    /** A history entry (spec §4.4) as a job: its status from the terminal message it recorded. */
    static ObjectNode finished(String id, JsonNode entry) {
        JsonNode extraData = entry.path("prompt").path(3);
        JsonNode messages = entry.path("status").path("messages");
        ObjectNode job = Json.object();
        job.put("id", id);
        job.put("status", status(entry.path("status").path("status_str").asText(), messages));
        Long started = messageTime(messages, "execution_start");
        job.put("create_time", extraData.path("create_time").asLong(started == null ? 0 : started));
        if (started != null) {
            job.put("execution_start_time", started);
        }
        if (!messages.isEmpty()) {
            job.put("execution_end_time", messages.get(messages.size() - 1).path(1).path("timestamp").asLong());
        }
        job.set("preview_output", previewOutput(entry.path("outputs")));
        job.put("outputs_count", outputsCount(entry.path("outputs")));
        for (JsonNode message : messages) {
            if ("execution_error".equals(message.path(0).asText())) {
                job.set("execution_error", message.path(1));
            }
        }
        workflowId(extraData).ifPresent(workflowId -> job.put("workflow_id", workflowId));
        return job;
    }

    private static String status(String statusStr, JsonNode messages) {
        if ("success".equals(statusStr)) {
            return "completed";
        }
        return messageTime(messages, "execution_interrupted") != null ? "cancelled" : "failed";
    }

    private static Long messageTime(JsonNode messages, String event) {
        for (JsonNode message : messages) {
            if (event.equals(message.path(0).asText())) {
                return message.path(1).path("timestamp").asLong();
            }
        }
        return null;
    }

    /** The first saved or previewed image, which the queue panel shows as the job's thumbnail. */
    private static JsonNode previewOutput(JsonNode outputs) {
        for (Map.Entry<String, JsonNode> node : outputs.properties()) {
            JsonNode images = node.getValue().path("images");
            if (images.isArray() && !images.isEmpty()) {
                ObjectNode preview = images.get(0).deepCopy();
                preview.put("nodeId", node.getKey());
                preview.put("mediaType", "images");
                return preview;
            }
        }
        return Json.MAPPER.nullNode();
    }

    private static int outputsCount(JsonNode outputs) {
        int count = 0;
        for (JsonNode node : outputs) {
            for (JsonNode list : node) {
                count += list.isArray() ? list.size() : 0;
            }
        }
        return count;
    }

    private static Optional<String> workflowId(JsonNode extraData) {
        JsonNode id = extraData.path("extra_pnginfo").path("workflow").path("id");
        return id.isTextual() ? Optional.of(id.asText()) : Optional.empty();
    }

    private static ObjectNode workflow(JsonNode prompt, JsonNode extraData) {
        ObjectNode workflow = Json.object();
        workflow.set("prompt", prompt);
        workflow.set("extra_data", extraData);
        return workflow;
    }

    /** The {@code status} filter: comma-separated names; absent or empty means every status. */
    private static Set<String> statuses(String param) {
        if (param == null || param.isBlank()) {
            return Set.copyOf(STATUSES);
        }
        return Arrays.stream(param.split(",")).map(String::trim).collect(Collectors.toSet());
    }

    private static int intParam(Context ctx, String name, int fallback) {
        String value = ctx.queryParam(name);
        try {
            return value == null ? fallback : Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
