package dev.kiln.inspector;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.rewind.HostEdit;
import dev.kiln.rewind.Recording;
import dev.kiln.rewind.RecordingFile;
import dev.kiln.script.ScriptInstance;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
                dev.kiln.script.StateFields.write(mover, "speed", "9");
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
                    .isLessThan(dev.kiln.rewind.Recorder.MAX_HASH_INTERVAL);
            // Both re-simulations lack the write, so they agree: only the frame can be named.
            assertThat(body.get("divergence").get("entity").isNull()).isTrue();
            assertThat(body.get("message").asText()).contains("something the recording does not hold");
        }
    }
}
