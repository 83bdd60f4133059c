package dev.kiln.inspector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.ecs.Entities;
import dev.kiln.script.LogEntry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Malformed queries, bodies and WebSocket messages from an authenticated client: 400 with a
 * message in the words of JSON's author (never a 500, never a parser's internals), and at most
 * one warning line on the console.
 */
class InspectorMalformedInputTest {
    @TempDir
    static Path dir;
    static InspectorFixture f;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        f = new InspectorFixture(dir);
    }

    @AfterAll
    static void stop() throws Exception {
        f.close();
    }

    static HttpResponse<String> call(String method, String path, String body) throws Exception {
        String sep = path.contains("?") ? "&" : "?";
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(f.base() + path + sep + "token=" + f.server.token()))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json").header("Origin", f.base());
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "/api/logs?after=abc|query parameter 'after' must be a whole number of at least 0, found 'abc'",
            "/api/logs?after=-1|query parameter 'after' must be a whole number of at least 0, found '-1'",
            "/api/logs?after=99999999999999999999|query parameter 'after' must be a whole number",
            "/api/logs?level=loud|query parameter 'level' must be info, warn or error, found 'loud'",
            "/api/entities/abc|'abc' is not an entity id"})
    void aMalformedQueryIs400WithAMessage(String path, String message) throws Exception {
        HttpResponse<String> r = call("GET", path, null);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains(message).doesNotContain("Exception").doesNotContain("For input string");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"paused\": true, \"paused\": false}|duplicate key 'paused' (each key may appear once)",
            "{\"paused\": NaN}|NaN is not a JSON number",
            "{\"paused\": tru}|unknown word 'tru'",
            "{\"paused\": true,}|JSON allows no trailing comma",
            "{'paused': true}|keys are written in double quotes",
            "{\"paused\": true} // now|comments are not allowed",
            "{\"paused\": true} {}|unexpected content after the end of the JSON value",
            "[true]|the body must be a JSON object"})
    void aMalformedBodyIs400InTheWordsOfJson(String body, String message) throws Exception {
        HttpResponse<String> r = call("POST", "/api/control/pause", body);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains(message)
                .doesNotContain("Feature").doesNotContain("(code ").doesNotContain("StreamReadConstraints");
        assertThat(f.engine.paused()).isFalse();
    }

    @Test
    void aWebSocketMessageThatIsNotJsonIsOneWarningLinePerConnection() throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream saved = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            WebSocket socket = http.newWebSocketBuilder().header("Origin", f.base())
                    .buildAsync(URI.create("ws://127.0.0.1:" + f.server.port() + "/ws?token=" + f.server.token()),
                            new WebSocket.Listener() { }).get(5, TimeUnit.SECONDS);
            for (int i = 0; i < 3; i++) socket.sendText("{not json", true).get(5, TimeUnit.SECONDS);
            socket.sendText("{\"watch\": null}", true).get(5, TimeUnit.SECONDS);
            Thread.sleep(500);
            socket.abort();
        } finally {
            System.setErr(saved);
        }
        List<String> lines = err.toString(StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
        assertThat(lines).singleElement().asString()
                .startsWith("kiln inspector: ignored a WebSocket message that is not JSON")
                .doesNotContain("(code ");
    }

    @Test
    void consoleLinesNameTheEntityBesideItsHandle() {
        long walker = f.entity("walker");
        LogRing ring = new LogRing(e -> { });
        ring.log(new LogEntry(7, LogEntry.Level.WARN, "mover", walker, "walker", "too fast"));
        LogRing.Line line = ring.after(0, 10).getFirst();
        assertThat(line.entity()).isEqualTo(Entities.format(walker) + " (walker)");
    }
}
