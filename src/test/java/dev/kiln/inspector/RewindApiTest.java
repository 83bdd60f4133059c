package dev.kiln.inspector;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.rewind.HostEdit;
import dev.kiln.rewind.Recorder;
import dev.kiln.rewind.Recording;
import dev.kiln.rewind.RecordingFile;
import dev.kiln.script.ScriptInstance;
import dev.kiln.script.StateFields;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Inspector edits are recorded and made again by a replay: after State, ScriptVars, component,
 * attach, enable and priority edits through the HTTP API, the replay check still finds every
 * hash, and the downloaded recording holds the edits and reads back equal. A write the recorder
 * never saw is reported at its frame.
 */
class RewindApiTest {
    static final HttpClient http = HttpClient.newHttpClient();
    static final ObjectMapper json = new ObjectMapper();

    private static HttpResponse<String> call(InspectorFixture f, String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(f.base() + path + "?token=" + f.server.token()))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json").header("Origin", f.base());
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void ok(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    private static ScriptInstance instanceOf(InspectorFixture f, String entity, String script) {
        return f.engine.scripts().scriptsOn(f.entity(entity)).stream().filter(i -> i.scriptName().equals(script))
                .findFirst().orElseThrow();
    }

    private static long frame(InspectorFixture f) throws Exception {
        return f.onFrame(() -> f.engine.frameIndex());
    }

    /** Waits until the engine has run {@code n} more frames, so each edit lands at a frame of its own. */
    private static void frames(InspectorFixture f, int n) throws Exception {
        long until = frame(f) + n;
        while (frame(f) < until) Thread.sleep(10);
    }

    @Test
    void editsThroughTheInspectorReplayAndTheCheckFindsEveryHash(@TempDir Path dir) throws Exception {
        try (InspectorFixture f = new InspectorFixture(dir)) {
            frames(f, 5);
            int mover = instanceOf(f, "walker", "mover").id();
            long rock = f.entity("rock");
            ok(call(f, "POST", "/api/instances/" + mover + "/state", "{\"field\":\"speed\",\"value\":\"7.5\"}"));
            frames(f, 3);
            ok(call(f, "POST", "/api/entities/" + f.entity("walker") + "/vars", "{\"key\":\"speed\",\"value\":\"4.25\"}"));
            ok(call(f, "POST", "/api/entities/" + rock + "/components/health", "{\"field\":\"hp\",\"value\":\"2.5\"}"));
            ok(call(f, "POST", "/api/entities/" + rock + "/scripts", "{\"script\":\"mover\",\"priority\":2}"));
            frames(f, 3);
            int attached = instanceOf(f, "rock", "mover").id();
            ok(call(f, "POST", "/api/instances/" + attached + "/priority", "{\"priority\":5}"));
            frames(f, 2);
            ok(call(f, "POST", "/api/instances/" + mover + "/enabled", "{\"enabled\":false}"));
            frames(f, 5);

            HttpResponse<String> check = call(f, "POST", "/api/rewind/check", null);
            ok(check);
            JsonNode body = json.readTree(check.body());
            assertThat(body.get("divergence").isNull()).as(check.body()).isTrue();
            assertThat(body.get("message").asText()).matches("replayed \\d+ frames: every hash matches");

            HttpResponse<String> file = call(f, "GET", "/api/rewind/recording", null);
            ok(file);
            Path saved = dir.resolve("edits.kilnrec");
            Files.writeString(saved, file.body());
            Recording loaded = RecordingFile.load(saved);
            List<HostEdit> edits = loaded.frames().stream().flatMap(r -> r.edits().stream()).toList();
            assertThat(edits).extracting(e -> e.getClass().getSimpleName())
                    .containsExactly("StateField", "Var", "Component", "Attach", "Priority", "Enabled");
            Recording live = f.onFrame(() -> f.engine.recorder().recording().copy());
            assertThat(loaded.frames()).isEqualTo(live.frames().subList(0, loaded.size()));
        }
    }

    @Test
    void aStateEditThatIsNotRecordedIsFoundByTheCheckAtItsFrame(@TempDir Path dir) throws Exception {
        try (InspectorFixture f = new InspectorFixture(dir)) {
            frames(f, 5);
            ScriptInstance mover = instanceOf(f, "walker", "mover");
            // Written behind the recorder's back, as a host would without the inspector.
            long at = f.onFrame(() -> {
                StateFields.write(mover, "speed", "9");
                return f.engine.frameIndex();
            });
            // The check sees a change only at a hashed frame (every K-th): wait for one after it.
            while (f.onFrame(() -> f.engine.recorder().recording().frames().stream().noneMatch(r -> r.hashed() && r.frame() >= at))) {
                frames(f, 1);
            }
            JsonNode body = json.readTree(call(f, "POST", "/api/rewind/check", null).body());
            // The recorder hashes every K-th frame: the write is seen at the next hashed frame, and
            // re-simulation cannot place it more exactly (neither run has it), so the report gives
            // the frames since the last hash that matched.
            assertThat(at).isBetween(body.get("divergence").get("earliest").asLong(), body.get("divergence").get("frame").asLong());
            assertThat(body.get("divergence").get("frame").asLong() - body.get("divergence").get("earliest").asLong())
                    .isLessThan(Recorder.HASH_INTERVAL_MAX);
            // Both re-simulations lack the write, so they agree: only the frame can be named.
            assertThat(body.get("divergence").get("entity").isNull()).isTrue();
            assertThat(body.get("message").asText()).contains("something the recording does not hold");
        }
    }

    /**
     * The timeline's rewind on the live run, through the HTTP API: rewind to frame 100 (paused
     * there), step one frame, replay to 140 with the same code (every hash as recorded), save a
     * faster mover (hot-reloaded while paused), replay on (the first divergence is frame 140,
     * where the fix came in), resume live.
     */
    @Test
    void theLiveRunRewindsStepsReplaysWithAFixAndResumes(@TempDir Path dir) throws Exception {
        try (InspectorFixture f = new InspectorFixture(dir)) {
            while (frame(f) < 200) Thread.sleep(50);
            JsonNode timeline = json.readTree(call(f, "GET", "/api/rewind", null).body());
            assertThat(timeline.get("keyframes").size()).as(timeline.toString()).isGreaterThanOrEqualTo(2);
            assertThat(timeline.get("rewound").asBoolean()).isFalse();

            JsonNode to = travel(f, "/api/rewind/to", "{\"frame\":100}");
            assertThat(to.get("at").asLong()).isEqualTo(100);
            assertThat(to.get("rewound").asBoolean()).isTrue();
            assertThat(to.get("divergence").isNull()).as(to.toString()).isTrue();
            Thread.sleep(200);
            assertThat(frame(f)).as("paused at the frame rewound to").isEqualTo(100);

            assertThat(travel(f, "/api/rewind/step", null).get("at").asLong()).isEqualTo(101);
            JsonNode replayed = travel(f, "/api/rewind/replay", "{\"frame\":140}");
            assertThat(replayed.get("at").asLong()).isEqualTo(140);
            assertThat(replayed.get("divergence").isNull()).as("the same code: every hash as recorded").isTrue();

            Path before = f.onFrame(() -> f.engine.scripts().library("mover").libraryPath());
            Path mover = dir.resolve("mover.zig");
            String source = Files.readString(mover);
            String faster = source.replace("self.speed * ctx.deltaTime()", "self.speed * 1.5 * ctx.deltaTime()");
            assertThat(faster).isNotEqualTo(source);
            Files.writeString(mover, faster);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (f.onFrame(() -> f.engine.scripts().library("mover").libraryPath()).equals(before)) {
                assertThat(System.nanoTime()).as("the saved mover was reloaded while paused").isLessThan(deadline);
                Thread.sleep(50);
            }
            assertThat(frame(f)).as("a reload while paused runs no frame").isEqualTo(140);

            JsonNode fixed = travel(f, "/api/rewind/replay", null);
            // Seen at the first hashed frame from 140 on (the recorder hashes every K-th frame).
            assertThat(fixed.get("divergence").get("earliest").asLong()).as("nothing before the fix differs: " + fixed).isEqualTo(140);
            assertThat(fixed.get("divergence").get("frame").asLong()).isBetween(140L, 140L + Recorder.HASH_INTERVAL_MAX);
            assertThat(fixed.get("at").asLong()).isGreaterThanOrEqualTo(200);

            JsonNode resumed = travel(f, "/api/rewind/resume", null);
            assertThat(resumed.get("rewound").asBoolean()).isFalse();
            long at = resumed.get("at").asLong();
            while (frame(f) < at + 10) Thread.sleep(20);
            Recording recorded = f.onFrame(() -> f.engine.recorder().recording().copy());
            assertThat(recorded.frame(140).reloads()).as("the fix recorded where it came in")
                    .extracting(reload -> reload.script()).containsExactly("mover");

            assertThat(call(f, "POST", "/api/rewind/step", null).statusCode()).as("live: nothing to replay").isEqualTo(409);
            assertThat(call(f, "POST", "/api/rewind/to", "{\"frame\":999999}").statusCode()).isEqualTo(400);
        }
    }

    private static JsonNode travel(InspectorFixture f, String path, String body) throws Exception {
        HttpResponse<String> r = call(f, "POST", path, body);
        ok(r);
        return json.readTree(r.body());
    }
}
