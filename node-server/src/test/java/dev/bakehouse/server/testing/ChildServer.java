package dev.bakehouse.server.testing;

import java.nio.file.Path;

/**
 * A test server in its own JVM, so a test can kill it with SIGKILL. Prints {@code PORT <n>} once
 * listening and {@code ENTERED <prompt id>} whenever a gate node starts; gates never open.
 */
public final class ChildServer {
    private ChildServer() {}

    public static void main(String[] args) throws Exception {
        ServerTestNodes.GateControl gate = new ServerTestNodes.GateControl();
        TestServer server = TestServer.start(Path.of(args[0]), gate);
        System.out.println("PORT " + server.server.port());
        System.out.flush();
        while (true) {
            System.out.println("ENTERED " + gate.awaitEnteredForever());
            System.out.flush();
        }
    }
}
