package dev.kiln.inspector;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.engine.Engine;
import dev.kiln.replay.Replay;
import dev.kiln.rewind.Divergence;
import dev.kiln.rewind.FrameRecord;
import dev.kiln.rewind.Recording;
import dev.kiln.rewind.RecordingFile;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The inspector's timeline (docs/rewind.md): what the run's recording holds, a determinism check
 * that replays it in an engine of its own, and the recording as a file to save.
 *
 * <ul>
 *   <li>{@code GET /api/rewind}: {@code {recording, frames, keyframes: [0], reloads: [{frame,
 *       script}], usedBytes, budgetBytes}}; {@code recording} false in a release run or before a
 *       scene loaded at frame 0.</li>
 *   <li>{@code POST /api/rewind/check}: replays the frames recorded so far with the recorded
 *       code on the request's thread (the live engine runs on), answering {@code {ok, frames,
 *       divergence: null | {frame, earliest, entity, field, recorded, replayed}, message}}; 409 while
 *       another check runs.</li>
 *   <li>{@code GET /api/rewind/recording}: the recording in {@link dev.kiln.rewind.RecordingFile}'s
 *       text form, as a download.</li>
 * </ul>
 * The recording is copied on the frame thread (a frame-boundary job), then read off it.
 */
final class RewindApi {
    /** How long a request waits for the frame boundary to copy the recording. */
    static final long COPY_TIMEOUT_SECONDS = 5;

    private final Engine engine;
    private final FrameBridge bridge;
    private final ObjectMapper json;
    private final AtomicBoolean checking = new AtomicBoolean();

    RewindApi(Engine engine, FrameBridge bridge, ObjectMapper json) {
        this.engine = engine;
        this.bridge = bridge;
        this.json = json;
    }

    void register(RoutesConfig r) {
        r.get("/api/rewind", this::timeline);
        r.post("/api/rewind/check", this::check);
        r.get("/api/rewind/recording", this::download);
    }

    /** A copy of the recording so far, taken at the frame boundary; null when nothing is recorded. */
    private Recording copy() throws Exception {
        if (engine.recorder() == null) return null;
        return bridge.submit(() -> {
            Recording live = engine.recorder().recording();
            return live == null ? null : live.copy();
        }).get(COPY_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    private void timeline(Context ctx) throws Exception {
        Recording r = copy();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("recording", r != null);
        if (r != null) {
            body.put("frames", r.size());
            body.put("keyframes", List.of(0));
            List<Map<String, Object>> reloads = new ArrayList<>();
            for (FrameRecord f : r.frames()) {
                for (FrameRecord.Reload reload : f.reloads()) reloads.add(Map.of("frame", f.frame(), "script", reload.script()));
            }
            body.put("reloads", reloads);
            body.put("usedBytes", r.usedBytes());
            body.put("budgetBytes", r.budgetBytes());
        }
        ctx.contentType("application/json").result(json.writeValueAsString(body));
    }

    private void check(Context ctx) throws Exception {
        Recording r = copy();
        if (r == null || r.size() == 0) {
            reply(ctx, 409, Map.of("error", "nothing is recorded yet (a release run, or no scene loaded at frame 0)"));
            return;
        }
        if (!checking.compareAndSet(false, true)) {
            reply(ctx, 409, Map.of("error", "a replay check is already running"));
            return;
        }
        try (Replay replay = Replay.start(r, engine.options().withLog(entry -> { }))) {
            Divergence d = replay.rewindTo(r.size());
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("ok", true);
            body.put("frames", r.size());
            body.put("divergence", d == null ? null : divergence(d));
            body.put("message", d == null ? "replayed " + r.size() + " frames: every hash matches"
                    : "replay diverged at " + d);
            reply(ctx, 200, body);
        } finally {
            checking.set(false);
        }
    }

    private static Map<String, Object> divergence(Divergence d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("frame", d.frame());
        m.put("earliest", d.earliest());
        m.put("entity", d.entity());
        m.put("field", d.field());
        m.put("recorded", d.recorded());
        m.put("replayed", d.replayed());
        return m;
    }

    private void download(Context ctx) throws Exception {
        Recording r = copy();
        if (r == null) {
            reply(ctx, 404, Map.of("error", "nothing is recorded (a release run, or no scene loaded at frame 0)"));
            return;
        }
        StringWriter text = new StringWriter();
        RecordingFile.write(r, text);
        ctx.header("Content-Disposition", "attachment; filename=\"recording.kilnrec\"")
                .contentType("text/plain; charset=utf-8").result(text.toString());
    }

    private void reply(Context ctx, int status, Map<String, Object> body) throws Exception {
        ctx.status(status).contentType("application/json").result(json.writeValueAsString(body));
    }
}
