package dev.kiln.inspector;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.abi.LibraryLoadException;
import dev.kiln.engine.Engine;
import dev.kiln.replay.LiveRewind;
import dev.kiln.replay.Replay;
import dev.kiln.rewind.Divergence;
import dev.kiln.rewind.FrameRecord;
import dev.kiln.rewind.Recording;
import dev.kiln.rewind.RecordingFile;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The inspector's timeline (docs/rewind.md): what the run's recording holds, rewinding the live
 * run in place, replaying and resuming it, a determinism check that replays it in an engine of
 * its own, and the recording as a file to save.
 *
 * <ul>
 *   <li>{@code GET /api/rewind}: {@code {recording, frames, keyframes: [frame...], reloads: [{frame,
 *       script}], usedBytes, budgetBytes, at, rewound, replayableTo, keyframeBytes}}; {@code
 *       recording} false in a release run or before a scene loaded at frame 0; {@code at} is
 *       the engine's next frame, {@code rewound} true while it stands in the recorded past.</li>
 *   <li>{@code POST /api/rewind/to {frame}}: rewinds the live run to the boundary before
 *       {@code frame} (nearest keyframe, then the recorded frames re-simulated with their
 *       recorded code) and pauses it there; {@code POST /api/rewind/replay {frame?}} runs the
 *       recorded frames on to {@code frame} (default: all rewound over) with the code loaded
 *       now; {@code POST /api/rewind/step} replays one frame; {@code POST /api/rewind/resume}
 *       runs live from where the engine stands. Each answers {@code {ok, at, rewound,
 *       divergence: null | {...}, message}}; 409 when it cannot (not recording, no keyframe
 *       applies, not rewound), 400 for a frame out of range.</li>
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
    /** The live run's keyframes and rewind; null when the engine does not record. */
    private final LiveRewind live;

    RewindApi(Engine engine, FrameBridge bridge, LiveRewind live, ObjectMapper json) {
        this.engine = engine;
        this.bridge = bridge;
        this.live = live;
        this.json = json;
    }

    void register(RoutesConfig r) {
        r.get("/api/rewind", this::timeline);
        r.post("/api/rewind/check", this::check);
        r.get("/api/rewind/recording", this::download);
        r.post("/api/rewind/to", ctx -> {
            long frame = JsonBody.parse(json, ctx.body()).integer("frame", null);
            travel(ctx, () -> live.rewindTo(frame));
        });
        r.post("/api/rewind/replay", ctx -> {
            JsonBody body = JsonBody.parse(json, ctx.body().isBlank() ? "{}" : ctx.body());
            Integer frame = body.has("frame") ? body.integer("frame", null) : null;
            travel(ctx, () -> live.replayTo(frame == null ? live.replayableTo() : frame));
        });
        r.post("/api/rewind/step", ctx -> travel(ctx, () -> live.replayTo(engine.frameIndex() + 1)));
        r.post("/api/rewind/resume", ctx -> travel(ctx, () -> {
            live.resume();
            return null;
        }));
    }

    /** A rewind, replay or resume of the live run. */
    private interface Travel {
        Divergence run() throws LibraryLoadException;
    }

    /** Runs {@code move} on the frame thread at the next boundary and answers with where the run stands. */
    private void travel(Context ctx, Travel move) throws Exception {
        if (live == null || engine.recorder().recording() == null) {
            reply(ctx, 409, Map.of("error", "the run is not being recorded (a release run, recording off, or its budget spent)"));
            return;
        }
        Map<String, Object> body = bridge.submit(() -> {
            Map<String, Object> m = new LinkedHashMap<>();
            try {
                Divergence d = move.run();
                m.put("ok", true);
                m.put("divergence", d == null ? null : divergence(d));
                m.put("message", d == null ? "at frame " + engine.frameIndex() + (live.rewound() ? ", paused" : ", live")
                        : "diverged from the recording at " + d);
            } catch (IllegalArgumentException e) {
                m.put("status", 400);
                m.put("error", e.getMessage());
            } catch (IllegalStateException | LibraryLoadException e) {
                m.put("status", 409);
                m.put("error", e.getMessage());
            }
            m.put("at", engine.frameIndex());
            m.put("rewound", live.rewound());
            return m;
        }).get(TRAVEL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        Object status = body.remove("status");
        reply(ctx, status == null ? 200 : (Integer) status, body);
    }

    /**
     * How long a rewind or replay may take at the frame boundary before the request gives up
     * waiting (the move itself runs on): a rewind at 10k entities takes up to ~0.3 s.
     */
    static final long TRAVEL_TIMEOUT_SECONDS = 60;

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
            body.put("keyframes", List.of());
            List<Map<String, Object>> reloads = new ArrayList<>();
            for (FrameRecord f : r.frames()) {
                for (FrameRecord.Reload reload : f.reloads()) reloads.add(Map.of("frame", f.frame(), "script", reload.script()));
            }
            body.put("reloads", reloads);
            body.put("usedBytes", r.usedBytes());
            body.put("budgetBytes", r.budgetBytes());
        }
        if (live != null) {
            Map<String, Object> state = bridge.submit(() -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("at", engine.frameIndex());
                m.put("rewound", live.rewound());
                m.put("replayableTo", live.replayableTo());
                m.put("keyframeBytes", live.keyframeBytes());
                m.put("keyframes", Arrays.stream(live.keyframeFrames()).boxed().toList());
                return m;
            }).get(COPY_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (r != null) body.putAll(state);
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
