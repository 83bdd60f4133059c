package dev.kiln.inspector;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.engine.Engine;
import dev.kiln.reload.HotReloadManager;
import dev.kiln.script.LogEntry;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The HTTP endpoints. Reads answer from the latest snapshot; edits to engine state run as
 * FrameBridge jobs at the next frame boundary (the request thread waits for them, the frame
 * thread never waits for the request). Every edit answers {ok, message} or {error}.
 */
final class InspectorApi {
    /** How long a request waits for a frame boundary (a paused engine still has them). */
    static final long EDIT_TIMEOUT_SECONDS = 5;

    private final Engine engine;
    private final HotReloadManager reloads;
    private final FrameBridge bridge;
    private final LogRing logs;
    private final SnapshotJson snapshots;
    private final ObjectMapper json;
    private final Edits edits;

    InspectorApi(Engine engine, HotReloadManager reloads, FrameBridge bridge, LogRing logs, SnapshotJson snapshots,
                 ObjectMapper json) {
        this.engine = engine;
        this.reloads = reloads;
        this.bridge = bridge;
        this.logs = logs;
        this.snapshots = snapshots;
        this.json = json;
        this.edits = new Edits(engine);
    }

    void register(RoutesConfig r) {
        r.get("/api/snapshot", ctx -> ctx.contentType("application/json").result(snapshots.current()));
        r.get("/api/entities/{id}", this::entity);
        r.get("/api/logs", this::logs);
        r.post("/api/control/pause", ctx -> control(ctx, () -> pause(JsonBody.parse(json, ctx.body()).bool("paused"))));
        r.post("/api/control/step", ctx -> control(ctx, this::step));
        r.post("/api/control/safe-mode", ctx -> control(ctx, () -> safeMode(JsonBody.parse(json, ctx.body()).bool("on"))));
        r.post("/api/control/auto-reload", ctx -> control(ctx, () -> autoReload(JsonBody.parse(json, ctx.body()).bool("on"))));
        r.post("/api/scripts/{name}/reload", ctx -> control(ctx, () -> reload(ctx.pathParam("name"))));
        r.post("/api/scripts/{name}/revert", ctx -> control(ctx, () -> revert(ctx.pathParam("name"))));
        r.post("/api/entities/{id}/scripts", this::attach);
        r.post("/api/entities/{id}/components/{name}", ctx -> {
            long entity = JsonBody.entityId(ctx.pathParam("id"));
            String component = ctx.pathParam("name");
            JsonBody body = JsonBody.parse(json, ctx.body());
            String field = body.text("field", true);
            String value = body.text("value", true);
            onFrame(ctx, () -> edits.setComponentField(entity, component, field, value));
        });
        r.post("/api/entities/{id}/vars", ctx -> {
            long entity = JsonBody.entityId(ctx.pathParam("id"));
            JsonBody body = JsonBody.parse(json, ctx.body());
            String key = body.text("key", true);
            String value = body.text("value", true);
            onFrame(ctx, () -> edits.setVar(entity, key, value));
        });
        r.delete("/api/instances/{id}", ctx -> {
            int id = JsonBody.instanceId(ctx.pathParam("id"));
            onFrame(ctx, () -> edits.detach(id));
        });
        r.post("/api/instances/{id}/enabled", ctx -> {
            int id = JsonBody.instanceId(ctx.pathParam("id"));
            boolean on = JsonBody.parse(json, ctx.body()).bool("enabled");
            onFrame(ctx, () -> edits.setEnabled(id, on));
        });
        r.post("/api/instances/{id}/priority", ctx -> {
            int id = JsonBody.instanceId(ctx.pathParam("id"));
            int priority = JsonBody.parse(json, ctx.body()).integer("priority", null);
            onFrame(ctx, () -> edits.setPriority(id, priority));
        });
        r.post("/api/instances/{id}/state", ctx -> {
            int id = JsonBody.instanceId(ctx.pathParam("id"));
            JsonBody body = JsonBody.parse(json, ctx.body());
            String field = body.text("field", true);
            String value = body.text("value", true);
            onFrame(ctx, () -> edits.setState(id, field, value));
        });
    }

    private void entity(Context ctx) throws Exception {
        long id = JsonBody.entityId(ctx.pathParam("id"));
        Snapshot.EntityDetail detail = await(bridge.submit(
                () -> engine.world().isAlive(id) ? EntityDetails.of(engine, id) : null));
        if (detail == null) answer(ctx, EditResult.notFound("entity " + ctx.pathParam("id") + " is not alive"));
        else ctx.contentType("application/json").result(json.writeValueAsString(detail));
    }

    private void logs(Context ctx) throws Exception {
        long after = JsonBody.queryLong("after", ctx.queryParam("after"), 0, 0);
        String level = ctx.queryParam("level");
        if (level != null && Arrays.stream(LogEntry.Level.values())
                .noneMatch(l -> l.name().equalsIgnoreCase(level))) {
            throw new JsonBody.BadRequest("query parameter 'level' must be info, warn or error, found '" + level + "'");
        }
        String script = ctx.queryParam("script");
        var lines = logs.after(after, LogRing.CAPACITY).stream()
                .filter(l -> level == null || l.level().equalsIgnoreCase(level))
                .filter(l -> script == null || l.script().equals(script)).toList();
        ctx.contentType("application/json").result(json.writeValueAsString(lines));
    }

    private void attach(Context ctx) throws Exception {
        long entity = JsonBody.entityId(ctx.pathParam("id"));
        JsonBody body = JsonBody.parse(json, ctx.body());
        String script = body.text("script", true);
        int priority = body.integer("priority", 0);
        String phase = body.text("phase", false);
        onFrame(ctx, () -> edits.attach(entity, script, priority, phase));
    }

    private EditResult noReloads() {
        return EditResult.conflict(engine.options().development() ? "hot reload is off in this run (--no-watch)" : RELEASE_REFUSAL);
    }

    private EditResult pause(boolean paused) {
        engine.setPaused(paused);
        return EditResult.ok(paused ? "paused at frame " + engine.frameIndex() : "resumed");
    }

    private EditResult step() {
        if (!engine.paused()) return EditResult.conflict("not paused: step runs one frame while paused");
        engine.requestStep();
        return EditResult.ok("stepping one frame");
    }

    private EditResult safeMode(boolean on) {
        engine.setSafeMode(on);
        return EditResult.ok(on ? "safe mode on: scripts stay loaded, no script code runs" : "safe mode off");
    }

    private EditResult autoReload(boolean on) {
        if (reloads == null) return noReloads();
        reloads.setAutoReload(on);
        return EditResult.ok(on ? "auto-reload on: saves rebuild" : "auto-reload off: saves are ignored");
    }

    private EditResult reload(String script) {
        if (reloads == null) return noReloads();
        if (!reloads.trackedScripts().contains(script)) return EditResult.notFound("no script '" + script + "' built from source");
        reloads.reloadNow(script);
        return EditResult.ok("building " + script + "...");
    }

    private EditResult revert(String script) {
        if (reloads == null) return noReloads();
        if (!reloads.trackedScripts().contains(script)) return EditResult.notFound("no script '" + script + "' built from source");
        if (!reloads.revert(script)) return EditResult.conflict(script + " has no earlier good version to revert to");
        return EditResult.ok("reverting " + script + " to its last good version at the next frame boundary");
    }

    private void control(Context ctx, Supplier<EditResult> action) {
        answer(ctx, action.get());
    }

    /** What a release run answers to an edit or a reload: its scripts and State are what shipped. */
    static final String RELEASE_REFUSAL = "this is a release run (kiln run --release): scripts are built ReleaseFast "
            + "and edits and reloads are off; run without --release to change things live";

    private void onFrame(Context ctx, Supplier<EditResult> edit) throws Exception {
        if (!engine.options().development()) {
            answer(ctx, EditResult.conflict(RELEASE_REFUSAL));
            return;
        }
        EditResult result = await(bridge.submit(edit));
        answer(ctx, result == null ? new EditResult(503, "the engine did not reach a frame boundary") : result);
    }

    /** Waits for a frame-boundary job; null on timeout (the engine is stopped or stuck). */
    private static <T> T await(CompletableFuture<T> job) throws InterruptedException, ExecutionException {
        try {
            return job.get(EDIT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            job.cancel(false);
            return null;
        }
    }

    private void answer(Context ctx, EditResult r) {
        Map<String, Object> body = r.ok() ? Map.of("ok", true, "message", r.message()) : Map.of("error", r.message());
        try {
            ctx.status(r.status()).contentType("application/json").result(json.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("could not serialise a reply: " + e.getMessage(), e);
        }
    }
}
