package dev.bakehouse.server.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bakehouse.server.json.Json;
import dev.bakehouse.server.user.UserFiles;
import io.javalin.http.Context;
import java.nio.file.Files;

/**
 * {@code /users} in single-user mode (spec §1.6, §3.15): every request belongs to user
 * {@value UserFiles#DEFAULT_USER}, whatever its {@code Comfy-User} header says.
 */
public final class UserRoutes {
    private final UserFiles users;

    public UserRoutes(UserFiles users) {
        this.users = users;
    }

    public void register(ApiRouter router) {
        router.get("/users", this::users);
        router.post("/users", UserRoutes::createUser);
    }

    /** "migrated" tells the frontend that settings live on the server, not in browser storage. */
    private void users(Context ctx) {
        ObjectNode body = Json.object();
        body.put("storage", "server");
        body.put("migrated", Files.isDirectory(users.root()));
        JsonBodies.respond(ctx, body);
    }

    /**
     * The reference creates a user it then never uses when multi-user mode is off; saying so is
     * more useful to the caller.
     */
    private static void createUser(Context ctx) {
        throw HttpFailure.of(400, "this server runs in single-user mode: every request belongs to user \""
                + UserFiles.DEFAULT_USER + "\", so no user can be created");
    }
}
