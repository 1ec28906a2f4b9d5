package dev.bakehouse.server.logs;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;

/**
 * Copies every line written to the process's standard output and error (where the server's
 * loggers write) into a {@link LogRing}, still writing it to the console. The console belongs to
 * the process, so there is one capture per JVM, installed on first use.
 */
public final class ConsoleCapture {
    private static LogRing shared;

    private ConsoleCapture() {}

    /** The ring fed by this process's console, installing the capture the first time. */
    public static synchronized LogRing shared() {
        if (shared == null) {
            LogRing ring = new LogRing(LogRing.DEFAULT_CAPACITY, Clock.systemUTC());
            System.setOut(new PrintStream(new LineTee(System.out, ring), true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(new LineTee(System.err, ring), true, StandardCharsets.UTF_8));
            shared = ring;
        }
        return shared;
    }

    /** Passes bytes through and hands each completed line to the ring. */
    static final class LineTee extends OutputStream {
        /** A "line" that never ends (a progress bar redrawn with \r) is cut here. */
        private static final int MAX_LINE_BYTES = 64 * 1024;

        private final OutputStream console;
        private final LogRing ring;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

        LineTee(OutputStream console, LogRing ring) {
            this.console = console;
            this.ring = ring;
        }

        @Override
        public synchronized void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public synchronized void write(byte[] bytes, int offset, int length) {
            try {
                console.write(bytes, offset, length);
                console.flush();
            } catch (IOException e) {
                // The console is gone (a closed pipe); the ring still records.
            }
            int lineStart = offset;
            for (int i = offset; i < offset + length; i++) {
                if (bytes[i] == '\n') {
                    line.write(bytes, lineStart, i + 1 - lineStart);
                    ring.add(line.toString(StandardCharsets.UTF_8));
                    line.reset();
                    lineStart = i + 1;
                }
            }
            line.write(bytes, lineStart, offset + length - lineStart);
            if (line.size() > MAX_LINE_BYTES) {
                ring.add(line.toString(StandardCharsets.UTF_8));
                line.reset();
            }
        }
    }
}
