package dev.bakehouse.server.http;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RequestGuardTest {
    @Test
    void originCheck_loopbackHostWithForeignOrigin_is403() {
        HttpFailure failure = assertThrows(HttpFailure.class,
                () -> RequestGuard.checkOrigin("127.0.0.1:8188", "http://evil.example"));
        assertEquals(403, failure.status());
        assertThrows(HttpFailure.class, () -> RequestGuard.checkOrigin("localhost:8188", "http://127.0.0.1:8188"));
    }

    @Test
    void originCheck_portsComparedOnlyWhenBothCarryOne() {
        assertThrows(HttpFailure.class, () -> RequestGuard.checkOrigin("127.0.0.1:8188", "http://127.0.0.1:3000"));
        assertDoesNotThrow(() -> RequestGuard.checkOrigin("127.0.0.1", "http://127.0.0.1:3000"));
        assertDoesNotThrow(() -> RequestGuard.checkOrigin("127.0.0.1:8188", "http://127.0.0.1"));
        assertDoesNotThrow(() -> RequestGuard.checkOrigin("[::1]:8188", "http://[::1]:8188"));
    }

    @Test
    void originCheck_missingHeaderOrNonLoopbackHost_passes() {
        assertDoesNotThrow(() -> RequestGuard.checkOrigin("127.0.0.1:8188", null));
        assertDoesNotThrow(() -> RequestGuard.checkOrigin(null, "http://evil.example"));
        assertDoesNotThrow(() -> RequestGuard.checkOrigin("bakehouse.lan:8188", "http://other.lan"));
    }

    @Test
    void loopback_recognisesNamesAndLiteralsWithoutDns() {
        assertTrue(RequestGuard.isLoopback("localhost"));
        assertTrue(RequestGuard.isLoopback("127.0.0.2"));
        assertTrue(RequestGuard.isLoopback("::1"));
        assertFalse(RequestGuard.isLoopback("192.168.1.10"));
        assertFalse(RequestGuard.isLoopback("example.com"));
    }
}
