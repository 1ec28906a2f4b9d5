package dev.bakehouse.server.http;

import io.javalin.http.Context;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.regex.Pattern;

/**
 * Checks every HTTP request and WebSocket upgrade before routing: the access token when one is
 * configured (401 otherwise), then the reference's anti-CSRF rule for local servers (spec §1.5):
 * when the Host names a loopback address and the Origin's host differs from it, 403.
 */
public final class RequestGuard {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private final String authToken;
    private final boolean corsConfigured;

    /**
     * @param authToken required token, or null for none
     * @param corsOrigin the allowed browser origin; when set, the cross-origin check is off (as in
     *     the reference, where the CORS option replaces it)
     */
    public RequestGuard(String authToken, String corsOrigin) {
        this.authToken = authToken == null || authToken.isEmpty() ? null : authToken;
        this.corsConfigured = corsOrigin != null && !corsOrigin.isEmpty();
    }

    public void check(Context ctx) {
        checkToken(ctx);
        if (!corsConfigured) {
            checkOrigin(ctx.header("Host"), ctx.header("Origin"));
        }
    }

    /** The CORS headers of spec §1.5 (plus {@code Comfy-User}, which the frontend sends). */
    public static void addCorsHeaders(Context ctx, String origin) {
        ctx.header("Access-Control-Allow-Origin", origin);
        ctx.header("Access-Control-Allow-Methods", "POST, GET, DELETE, PUT, OPTIONS");
        ctx.header("Access-Control-Allow-Headers", "Content-Type, Authorization, Comfy-User");
        ctx.header("Access-Control-Allow-Credentials", "true");
    }

    private void checkToken(Context ctx) {
        if (authToken == null) {
            return;
        }
        String presented = null;
        String authorization = ctx.header("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            presented = authorization.substring(7).trim();
        } else if (ctx.queryParam("token") != null) {
            presented = ctx.queryParam("token");
        }
        if (presented == null
                || !MessageDigest.isEqual(
                        presented.getBytes(StandardCharsets.UTF_8), authToken.getBytes(StandardCharsets.UTF_8))) {
            throw HttpFailure.of(401, "missing or wrong access token (Authorization: Bearer <token> or ?token=)");
        }
    }

    /** The §1.5 rule, as a pure function of the two headers. */
    static void checkOrigin(String host, String origin) {
        if (host == null || origin == null) {
            return;
        }
        HostPort hostHeader = HostPort.parse(host);
        HostPort originHost;
        try {
            URI uri = URI.create(origin);
            if (uri.getHost() == null) {
                throw HttpFailure.of(403, "Origin header names no host: " + origin);
            }
            originHost = new HostPort(stripBrackets(uri.getHost()), uri.getPort() < 0 ? null : uri.getPort());
        } catch (IllegalArgumentException e) {
            throw HttpFailure.of(403, "unparseable Origin header: " + origin);
        }
        if (!isLoopback(hostHeader.host())) {
            return;
        }
        boolean sameHost = hostHeader.host().equalsIgnoreCase(originHost.host());
        boolean portsDiffer =
                hostHeader.port() != null && originHost.port() != null && !hostHeader.port().equals(originHost.port());
        if (!sameHost || portsDiffer) {
            throw HttpFailure.of(403, "cross-origin request from " + origin + " to local server " + host);
        }
    }

    /**
     * Loopback without touching DNS for arbitrary names: {@code localhost} (and {@code
     * *.localhost}) or a literal loopback address.
     */
    static boolean isLoopback(String host) {
        String name = host.toLowerCase(java.util.Locale.ROOT);
        if (name.equals("localhost") || name.endsWith(".localhost")) {
            return true;
        }
        if (!IPV4.matcher(name).matches() && !name.contains(":")) {
            return false;
        }
        try {
            return InetAddress.getByName(name).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static String stripBrackets(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    private record HostPort(String host, Integer port) {
        static HostPort parse(String header) {
            String value = header.trim();
            if (value.startsWith("[")) {
                int close = value.indexOf(']');
                String host = value.substring(1, close < 0 ? value.length() : close);
                Integer port = close >= 0 && value.length() > close + 2 ? parsePort(value.substring(close + 2)) : null;
                return new HostPort(host, port);
            }
            int colon = value.lastIndexOf(':');
            if (colon >= 0 && value.indexOf(':') == colon) {
                return new HostPort(value.substring(0, colon), parsePort(value.substring(colon + 1)));
            }
            return new HostPort(value, null);
        }

        private static Integer parsePort(String text) {
            try {
                return Integer.valueOf(text);
            } catch (NumberFormatException e) {
                return null;
            }
        }
    }
}
