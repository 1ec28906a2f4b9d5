package dev.bakehouse.server.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The console tee and the bounded ring behind {@code /internal/logs}. */
class ConsoleCaptureTest {
    private static final Clock FIXED = Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC);

    @Test
    void lineTee_passesBytesThrough_andRecordsCompleteLines() {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        LogRing ring = new LogRing(10, FIXED);
        ConsoleCapture.LineTee tee = new ConsoleCapture.LineTee(console, ring);
        byte[] first = "one\ntw".getBytes(StandardCharsets.UTF_8);
        tee.write(first, 0, first.length);
        tee.write('o');
        byte[] rest = "\nthrée\npartial".getBytes(StandardCharsets.UTF_8);
        tee.write(rest, 0, rest.length);

        assertEquals("one\ntwo\nthrée\npartial", console.toString(StandardCharsets.UTF_8));
        assertEquals(List.of("one\n", "two\n", "thrée\n"), ring.entries().stream().map(LogRing.Entry::message).toList());
        assertEquals("2026-01-02T03:04:05Z", ring.entries().get(0).time());
        assertEquals("one\ntwo\nthrée\n", ring.text());
    }

    @Test
    void ring_keepsTheNewestLines() {
        LogRing ring = new LogRing(2, FIXED);
        for (String line : List.of("a\n", "b\n", "c\n")) {
            ring.add(line);
        }
        assertEquals("b\nc\n", ring.text());
        assertThrows(IllegalArgumentException.class, () -> new LogRing(0, FIXED));
    }
}
