package dev.kiln.inspector;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.scene.JsonSyntaxText;
import io.javalin.config.RoutesConfig;
import io.javalin.websocket.WsContext;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The WebSocket at /ws: pushes each new snapshot and new log lines to every connected page,
 * from its own thread at the snapshot rate. A page says which entity it has selected
 * ({"watch": id} or {"watch": null}); the union of selections is what the next snapshots detail.
 */
final class LivePush implements AutoCloseable {
    /** Log lines a newly connected page gets, and the most sent in one push. */
    static final int LOG_BACKLOG = 500;

    private final FrameBridge bridge;
    private final SnapshotJson snapshots;
    private final LogRing logs;
    private final ObjectMapper json;
    private final Map<String, WsContext> sessions = new ConcurrentHashMap<>();
    private final Map<String, Long> watching = new ConcurrentHashMap<>();
    /** Sessions already warned about a message that is not JSON. */
    private final Set<String> warned = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService pusher = Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().daemon().name("kiln-inspector-push").unstarted(r));
    private long sentSeq = -1;
    private long sentLogSeq;

    LivePush(FrameBridge bridge, SnapshotJson snapshots, LogRing logs, ObjectMapper json) {
        this.bridge = bridge;
        this.snapshots = snapshots;
        this.logs = logs;
        this.json = json;
    }

    void register(RoutesConfig routes) {
        routes.ws("/ws", ws -> {
            ws.onConnect(ctx -> {
                ctx.session.setIdleTimeout(Duration.ofHours(12));
                sessions.put(ctx.sessionId(), ctx);
                ctx.send("{\"type\":\"snapshot\",\"data\":" + snapshots.current() + "}");
                ctx.send(logMessage(logs.after(0, LOG_BACKLOG)));
            });
            ws.onMessage(ctx -> watch(ctx.sessionId(), ctx.message()));
            ws.onClose(ctx -> forget(ctx.sessionId()));
            ws.onError(ctx -> forget(ctx.sessionId()));
        });
    }

    void start() {
        pusher.scheduleWithFixedDelay(this::pushSafely, 0, FrameBridge.SNAPSHOT_INTERVAL_NANOS, TimeUnit.NANOSECONDS);
    }

    private void watch(String session, String message) {
        JsonNode root;
        try {
            root = json.readTree(message);
        } catch (JsonProcessingException e) {
            // A page of ours never sends this; one line per connection, not a trace per message.
            if (warned.add(session)) {
                System.err.println("kiln inspector: ignored a WebSocket message that is not JSON ("
                        + JsonSyntaxText.of(e.getOriginalMessage()) + "); expected {\"watch\": <entity id or null>}");
            }
            return;
        }
        var node = root == null ? null : root.get("watch");
        if (node == null || !node.canConvertToLong()) watching.remove(session);
        else watching.put(session, node.longValue());
        bridge.setWatched(new HashSet<>(watching.values()));
    }

    private void forget(String session) {
        sessions.remove(session);
        warned.remove(session);
        if (watching.remove(session) != null) bridge.setWatched(new HashSet<>(watching.values()));
    }

    /** A scheduled task that throws is never run again: report and keep pushing. */
    private void pushSafely() {
        try {
            push();
        } catch (RuntimeException e) {
            System.err.println("kiln inspector: push failed: " + e);
        }
    }

    private void push() {
        if (sessions.isEmpty()) return;
        String snapshot = snapshots.current();
        long seq = snapshots.seq();
        List<LogRing.Line> fresh = logs.after(sentLogSeq, LOG_BACKLOG);
        if (!fresh.isEmpty()) sentLogSeq = fresh.getLast().seq();
        String logMessage = fresh.isEmpty() ? null : logMessage(fresh);
        String snapshotMessage = seq == sentSeq ? null : "{\"type\":\"snapshot\",\"data\":" + snapshot + "}";
        sentSeq = seq;
        Set<String> gone = new HashSet<>();
        for (Map.Entry<String, WsContext> e : sessions.entrySet()) {
            WsContext ctx = e.getValue();
            if (!ctx.session.isOpen()) {
                gone.add(e.getKey());
                continue;
            }
            if (snapshotMessage != null) ctx.send(snapshotMessage);
            if (logMessage != null) ctx.send(logMessage);
        }
        gone.forEach(this::forget);
    }

    private String logMessage(List<LogRing.Line> lines) {
        try {
            return "{\"type\":\"logs\",\"lines\":" + json.writeValueAsString(lines) + "}";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("could not serialise log lines: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        pusher.shutdownNow();
    }
}
