package dev.bakehouse.server.worker;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bakehouse.server.ws.WsHub;

/**
 * Routes one prompt's events (spec §5.4): to the socket of the prompt's client; when the prompt
 * has no client id, only {@code progress}, {@code progress_state} and {@code
 * execution_interrupted} are sent, to every socket.
 */
final class PromptEvents {
    private final WsHub hub;
    private final String clientId;

    PromptEvents(WsHub hub, String clientId) {
        this.hub = hub;
        this.clientId = clientId;
    }

    /** An event only the prompt's own client receives. */
    void toClient(String type, ObjectNode data) {
        hub.sendTo(clientId, type, data);
    }

    /** An event that is broadcast when the prompt has no client. */
    void toClientOrEveryone(String type, ObjectNode data) {
        if (clientId == null) {
            hub.broadcast(type, data);
        } else {
            hub.sendTo(clientId, type, data);
        }
    }
}
