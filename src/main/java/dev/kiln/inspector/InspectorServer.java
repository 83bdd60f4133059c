package dev.kiln.inspector;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.engine.Engine;
import dev.kiln.reload.HotReloadManager;
import dev.kiln.replay.LiveRewind;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.net.BindException;
import java.util.Map;

/**
 * The live inspector: HTTP + WebSocket on 127.0.0.1 only, every request checked by the
 * {@link RequestGuard}. Engine state is read and changed only through the {@link FrameBridge}
 * (a frame-boundary task); serialising and pushing happens on the server's threads.
 */
public final class InspectorServer implements AutoCloseable {
    private final Engine engine;
    private final FrameBridge bridge;
    private final RequestGuard guard = new RequestGuard();
    private final Javalin app;
    private final LivePush push;
    /** Null when the engine does not record (a release run, or recording off). */
    private final LiveRewind live;

    private InspectorServer(Engine engine, HotReloadManager reloads, LogRing logs, int port) {
        this.engine = engine;
        this.bridge = new FrameBridge(engine, reloads);
        ObjectMapper json = new ObjectMapper();
        SnapshotJson snapshots = new SnapshotJson(bridge, json);
        this.push = new LivePush(bridge, snapshots, logs, json);
        InspectorApi api = new InspectorApi(engine, reloads, bridge, logs, snapshots, json);
        // Keyframes of the live run for the timeline's rewind; its boundary task runs before the
        // bridge's, so a keyframe is taken before the edits the bridge applies (and records) there.
        this.live = LiveRewind.attach(engine);
        RewindApi rewind = new RewindApi(engine, bridge, live, json);
        StaticAssets assets = new StaticAssets(guard);
        this.app = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.jetty.host = "127.0.0.1"; // never reachable from another machine
            cfg.jetty.port = port;
            cfg.routes.before(this::checkRequest);
            cfg.routes.wsBeforeUpgrade(this::checkRequest);
            cfg.routes.exception(JsonBody.BadRequest.class, (e, ctx) -> error(ctx, 400, e.getMessage()));
            cfg.routes.exception(HttpResponseException.class, (e, ctx) -> error(ctx, e.getStatus(), e.getMessage()));
            cfg.routes.exception(Exception.class, (e, ctx) -> error(ctx, 500, String.valueOf(e.getMessage())));
            assets.register(cfg.routes);
            api.register(cfg.routes);
            rewind.register(cfg.routes);
            push.register(cfg.routes);
        });
    }

    /** Starts on {@code port} (0: any free port) and registers the frame-boundary task. */
    public static InspectorServer start(Engine engine, HotReloadManager reloads, LogRing logs, int port) {
        InspectorServer server = new InspectorServer(engine, reloads, logs, port);
        try {
            server.app.start();
        } catch (RuntimeException e) {
            if (server.live != null) server.live.detach();
            if (!isBindFailure(e)) throw e;
            server.push.close();
            throw new PortUnavailable(port == 0 ? "no free port" : "port " + port + " is in use or not allowed", e);
        }
        server.guard.setPort(server.app.port());
        engine.addFrameBoundaryTask(server.bridge);
        server.push.start();
        return server;
    }

    /** The inspector could not listen on its port (taken by another program, or not permitted). */
    public static final class PortUnavailable extends RuntimeException {
        PortUnavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private static boolean isBindFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof io.javalin.util.JavalinBindException || t instanceof BindException) return true;
        }
        return false;
    }

    public int port() {
        return app.port();
    }

    public String token() {
        return guard.token();
    }

    /** What `kiln run` prints: open it in a browser. */
    public String url() {
        return "http://127.0.0.1:" + port() + "/?token=" + guard.token();
    }

    private void checkRequest(Context ctx) {
        RequestGuard.Refusal refusal = guard.check(ctx.header("Host"), ctx.header("Origin"), ctx.queryParam("token"),
                ctx.header("X-Kiln-Token"));
        if (refusal != null) throw new HttpResponseException(refusal.status(), refusal.message());
    }

    private static void error(Context ctx, int status, String message) {
        ctx.status(status).contentType("application/json").result(jsonString(Map.of("error", message)));
    }

    private static String jsonString(Map<String, String> map) {
        try {
            return new ObjectMapper().writeValueAsString(map);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        engine.removeFrameBoundaryTask(bridge);
        if (live != null) live.detach();
        push.close();
        app.stop();
    }
}
