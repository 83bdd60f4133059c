package dev.kiln.inspector;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A release run (`kiln run --release`): scripts built ReleaseFast, edits and reloads refused with a reason. */
class ReleaseRunTest {
    @TempDir
    static Path dir;
    static InspectorFixture f;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        f = new InspectorFixture(dir, true);
    }

    @AfterAll
    static void stop() throws Exception {
        f.close();
    }

    static HttpResponse<String> call(String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(f.base() + path + "?token=" + f.server.token()))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json").header("Origin", f.base());
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void scriptsAreBuiltReleaseFastAndTheInspectorSaysSo() throws Exception {
        assertThat(f.engine.scripts().library("mover").info().buildModeName()).isEqualTo("ReleaseFast");
        assertThat(call("GET", "/api/snapshot", null).body()).contains("\"buildMode\":\"ReleaseFast\"");
    }

    @Test
    void editsAndReloadsAreRefusedWithTheReason() throws Exception {
        int instance = f.onFrame(() -> f.engine.scripts().scriptsOn(f.entity("walker")).getFirst().id());
        HttpResponse<String> edit = call("POST", "/api/instances/" + instance + "/state", "{\"field\":\"speed\",\"value\":\"9\"}");
        assertThat(edit.statusCode()).isEqualTo(409);
        assertThat(edit.body()).contains("release run");
        HttpResponse<String> reload = call("POST", "/api/scripts/mover/reload", null);
        assertThat(reload.statusCode()).isEqualTo(409);
        assertThat(reload.body()).contains("release run");
        HttpResponse<String> attach = call("POST", "/api/entities/" + f.entity("rock") + "/scripts", "{\"script\":\"mover\"}");
        assertThat(attach.statusCode()).isEqualTo(409);
    }
}
