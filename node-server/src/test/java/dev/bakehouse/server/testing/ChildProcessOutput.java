package dev.bakehouse.server.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Reads a child process's stdout with deadlines. A blocking {@code readLine} on a child's pipe
 * ignores interrupts, so a child that hangs without printing would stall the test forever: here a
 * daemon thread queues the lines and {@link #awaitLine} waits on the queue. The child's stderr goes
 * to a file (give {@link #stderrFile} to {@code ProcessBuilder.redirectError}) whose tail every
 * failure message quotes, so a child that died says why.
 */
public final class ChildProcessOutput {
    private static final Optional<String> END = Optional.empty();

    private final Process child;
    private final Path stderr;
    private final BlockingQueue<Optional<String>> lines = new LinkedBlockingQueue<>();

    private ChildProcessOutput(Process child, Path stderr) {
        this.child = child;
        this.stderr = stderr;
        Thread reader = new Thread(this::pump, "child-stdout-" + child.pid());
        reader.setDaemon(true);
        reader.start();
    }

    /** Where to send the child's stderr before starting it. */
    public static Path stderrFile(Path dir) throws IOException {
        return Files.createTempFile(dir, "child", ".stderr");
    }

    /** Starts reading {@code child}'s stdout; {@code stderr} is the file its stderr is redirected to. */
    public static ChildProcessOutput of(Process child, Path stderr) {
        return new ChildProcessOutput(child, stderr);
    }

    /** The next stdout line starting with {@code prefix}, skipping others; fails after {@code timeout}. */
    public String awaitLine(String prefix, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<String> line = lines.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (line == null) {
                throw new AssertionError("child printed no line starting with '" + prefix + "' within " + timeout
                        + " (" + state() + ")" + stderrTail());
            }
            if (line.isEmpty()) {
                lines.add(END); // later calls see the end too
                throw new AssertionError("child closed stdout before printing '" + prefix + "' (" + state() + ")"
                        + stderrTail());
            }
            if (line.get().startsWith(prefix)) {
                return line.get();
            }
        }
    }

    private void pump() {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                lines.add(Optional.of(line));
            }
        } catch (IOException e) {
            // the pipe closed under us (child killed): the end marker below says so
        }
        lines.add(END);
    }

    private String state() {
        return child.isAlive() ? "still running" : "exited with " + child.exitValue();
    }

    private String stderrTail() {
        try {
            String text = Files.readString(stderr, StandardCharsets.UTF_8);
            String tail = text.length() > 4000 ? "…" + text.substring(text.length() - 4000) : text;
            return tail.isBlank() ? "; its stderr is empty" : "; its stderr:\n" + tail;
        } catch (IOException e) {
            return "; its stderr could not be read: " + e.getMessage();
        }
    }
}
