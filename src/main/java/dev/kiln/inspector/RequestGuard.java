package dev.kiln.inspector;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Who may talk to the inspector: a request must carry this run's random token (query
 * {@code token} or header {@code X-Kiln-Token}), name this server in its Host header (so a
 * DNS-rebinding page cannot reach it) and, when it has an Origin, come from this server's own
 * page (so another site the developer has open cannot drive it with their browser).
 */
public final class RequestGuard {
    /** A refusal, as a value: HTTP status and why. */
    public record Refusal(int status, String message) {}

    private final String token;
    private volatile int port;

    public RequestGuard() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        this.token = HexFormat.of().formatHex(bytes);
    }

    public String token() {
        return token;
    }

    void setPort(int port) {
        this.port = port;
    }

    /** Null when the request may go on. Origin and Host are raw header values (null when absent). */
    public Refusal check(String host, String origin, String queryToken, String headerToken) {
        if (host == null || !isLocal(host, false)) return new Refusal(403, "Host '" + host + "' is not this inspector");
        if (origin != null && !isLocal(origin, true)) return new Refusal(403, "Origin '" + origin + "' may not use the inspector");
        String given = queryToken != null ? queryToken : headerToken;
        if (given == null || given.isEmpty()) return new Refusal(401, "missing token: open the URL kiln run printed");
        if (!MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8))) {
            return new Refusal(401, "wrong token: open the URL kiln run printed (a new run has a new token)");
        }
        return null;
    }

    /** "127.0.0.1:PORT" / "localhost:PORT" (Host), or the same behind "http://" (Origin). */
    private boolean isLocal(String value, boolean isOrigin) {
        String hostPort = value;
        if (isOrigin) {
            try {
                URI uri = new URI(value);
                if (!"http".equals(uri.getScheme()) || uri.getRawPath() != null && !uri.getRawPath().isEmpty()) return false;
                hostPort = uri.getRawAuthority();
            } catch (URISyntaxException e) {
                return false; // an Origin we cannot read is not ours
            }
        }
        return ("127.0.0.1:" + port).equals(hostPort) || ("localhost:" + port).equals(hostPort);
    }
}
