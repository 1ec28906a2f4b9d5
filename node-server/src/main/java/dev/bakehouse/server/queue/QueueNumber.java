package dev.bakehouse.server.queue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.LongNode;

/**
 * A queue item's priority (element 0 of a queue item). Numbers drawn from the server's counter
 * are integers; a client-supplied {@code number} is echoed as a float ({@code 5.0}), as the
 * reference converts it. Lower runs first.
 */
public record QueueNumber(double value, boolean explicit) implements Comparable<QueueNumber> {

    public static QueueNumber counter(long value) {
        return new QueueNumber(value, false);
    }

    public static QueueNumber explicit(double value) {
        return new QueueNumber(value, true);
    }

    public JsonNode toJson() {
        return explicit ? DoubleNode.valueOf(value) : LongNode.valueOf((long) value);
    }

    @Override
    public int compareTo(QueueNumber other) {
        return Double.compare(value, other.value);
    }
}
