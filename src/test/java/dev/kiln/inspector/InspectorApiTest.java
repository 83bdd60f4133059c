package dev.kiln.inspector;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.ecs.VarValue;
import dev.kiln.ecs.Vec3;
import dev.kiln.script.LogEntry;
import dev.kiln.script.ScriptInstance;
import dev.kiln.script.StateFields;
import dev.kiln.testing.TestEngine;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every endpoint: security (token, Origin, Host), reads, and edits applied or refused with a message. */
class InspectorApiTest {
    @TempDir
    static Path dir;
    static InspectorFixture f;
    static final HttpClient http = HttpClient.newHttpClient();
    static final ObjectMapper json = new ObjectMapper();

    @BeforeAll
    static void start() throws Exception {
        f = new InspectorFixture(dir);
    }

    @AfterAll
    static void stop() throws Exception {
        f.close();
    }

    /** Every route: method, path, body. */
    static List<String[]> endpoints() {
        long walker = f.entity("walker");
        return List.of(
                new String[] {"GET", "/", null}, new String[] {"GET", "/app.js", null}, new String[] {"GET", "/app.css", null},
                new String[] {"GET", "/api/snapshot", null}, new String[] {"GET", "/api/entities/" + walker, null},
                new String[] {"GET", "/api/logs", null},
                new String[] {"POST", "/api/control/pause", "{\"paused\":true}"},
                new String[] {"POST", "/api/control/step", "{}"},
                new String[] {"POST", "/api/control/safe-mode", "{\"on\":true}"},
                new String[] {"POST", "/api/control/auto-reload", "{\"on\":false}"},
                new String[] {"POST", "/api/scripts/mover/reload", "{}"},
                new String[] {"POST", "/api/scripts/mover/revert", "{}"},
                new String[] {"POST", "/api/entities/" + walker + "/scripts", "{\"script\":\"spinner\"}"},
                new String[] {"DELETE", "/api/instances/1", null},
                new String[] {"POST", "/api/instances/1/enabled", "{\"enabled\":false}"},
                new String[] {"POST", "/api/instances/1/priority", "{\"priority\":3}"},
                new String[] {"POST", "/api/instances/1/state", "{\"field\":\"speed\",\"value\":\"9\"}"},
                new String[] {"POST", "/api/entities/" + walker + "/vars", "{\"key\":\"speed\",\"value\":\"9\"}"},
                new String[] {"POST", "/api/entities/" + walker + "/components/health", "{\"field\":\"hp\",\"value\":\"9\"}"});
    }

    static HttpResponse<String> send(String method, String path, String body, String token, String origin) throws Exception {
        String sep = path.contains("?") ? "&" : "?";
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(f.base() + path + (token == null ? "" : sep + "token=" + token)))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (origin != null) b.header("Origin", origin);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> call(String method, String path, String body) throws Exception {
        return send(method, path, body, f.server.token(), f.base());
    }

    static JsonNode callJson(String method, String path, String body) throws Exception {
        return json.readTree(call(method, path, body).body());
    }

    /** Nothing a refused request asked for happened. */
    void assertNothingChanged() throws Exception {
        assertThat(f.engine.paused()).isFalse();
        assertThat(f.engine.safeMode()).isFalse();
        assertThat(f.reloads.autoReload()).isTrue();
        assertThat(f.onFrame(() -> f.engine.scripts().scriptsOn(f.entity("walker")).size())).isEqualTo(1);
        assertThat(f.onFrame(() -> f.engine.scripts().instance(1).enabled())).isTrue();
    }

    @Test
    void everyEndpointRefusesAMissingOrWrongToken() throws Exception {
        for (String[] e : endpoints()) {
            assertThat(send(e[0], e[1], e[2], null, null).statusCode()).as("no token: %s %s", e[0], e[1]).isEqualTo(401);
            assertThat(send(e[0], e[1], e[2], "0123abcd", null).statusCode()).as("wrong token: %s %s", e[0], e[1]).isEqualTo(401);
        }
        assertThat(send("GET", "/api/snapshot", null, null, null).body()).contains("missing token");
        assertNothingChanged();
    }

    @Test
    void everyEndpointRefusesAForeignOrigin() throws Exception {
        for (String[] e : endpoints()) {
            for (String origin : List.of("http://evil.example", "http://127.0.0.1:1", "null", "https://127.0.0.1:" + f.server.port())) {
                HttpResponse<String> r = send(e[0], e[1], e[2], f.server.token(), origin);
                assertThat(r.statusCode()).as("%s %s from %s", e[0], e[1], origin).isEqualTo(403);
            }
        }
        assertNothingChanged();
    }

    @Test
    void aForeignHostHeaderIsRefused() throws Exception {
        // A DNS-rebinding page reaches 127.0.0.1 under its own host name: refuse by Host.
        try (Socket s = new Socket("127.0.0.1", f.server.port())) {
            s.getOutputStream().write(("GET /api/snapshot?token=" + f.server.token() + " HTTP/1.1\r\nHost: evil.example:"
                    + f.server.port() + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String reply = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(reply).startsWith("HTTP/1.1 403").contains("is not this inspector");
        }
    }

    @Test
    void theWebSocketNeedsTheTokenAndOurOrigin() throws Exception {
        String ws = "ws://127.0.0.1:" + f.server.port() + "/ws";
        assertThat(connects(ws, null)).isFalse();
        assertThat(connects(ws + "?token=nope", null)).isFalse();
        assertThat(connects(ws + "?token=" + f.server.token(), "http://evil.example")).isFalse();
        CompletableFuture<String> first = new CompletableFuture<>();
        WebSocket socket = http.newWebSocketBuilder().header("Origin", f.base())
                .buildAsync(URI.create(ws + "?token=" + f.server.token()), new WebSocket.Listener() {
                    StringBuilder text = new StringBuilder();

                    public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                        text.append(data);
                        if (last) first.complete(text.toString());
                        w.request(1);
                        return null;
                    }
                }).get(5, TimeUnit.SECONDS);
        JsonNode msg = json.readTree(first.get(5, TimeUnit.SECONDS));
        assertThat(msg.get("type").asText()).isEqualTo("snapshot");
        assertThat(msg.get("data").get("entities")).hasSize(3);
        socket.abort();
    }

    private static boolean connects(String uri, String origin) throws Exception {
        WebSocket.Builder b = http.newWebSocketBuilder();
        if (origin != null) b.header("Origin", origin);
        try {
            b.buildAsync(URI.create(uri), new WebSocket.Listener() { }).join().abort();
            return true;
        } catch (CompletionException e) {
            assertThat(e.getCause()).isInstanceOf(WebSocketHandshakeException.class);
            return false;
        }
    }

    @Test
    void thePageIsServedWithItsTokenAndNoPathCanBeNamed() throws Exception {
        HttpResponse<String> page = call("GET", "/", null);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("Kiln Inspector").contains("app.js?token=" + f.server.token());
        assertThat(page.headers().firstValue("Content-Security-Policy")).isPresent();
        for (String p : List.of("/index.html/../../pom.xml", "/inspector/app.js", "/..%2f..%2fpom.xml", "/mover.zig")) {
            assertThat(call("GET", p, null).statusCode()).as(p).isIn(400, 404); // Jetty refuses ambiguous paths with 400
        }
    }

    @Test
    void theSnapshotListsEntitiesScriptsAndRunState() throws Exception {
        JsonNode s = callJson("GET", "/api/snapshot", null);
        assertThat(s.get("entities")).extracting(e -> e.get("name").asText()).containsExactlyInAnyOrder("walker", "turner", "rock");
        JsonNode mover = find(s.get("scripts"), "name", "mover");
        assertThat(mover.get("abiVersion").asInt()).isPositive();
        assertThat(mover.get("exports").toString()).contains("kiln_script_update");
        assertThat(mover.get("source").asText()).endsWith("mover.zig");
        assertThat(mover.get("sourceHash").asText()).isNotEmpty();
        assertThat(mover.get("instances").asInt()).isEqualTo(1);
        assertThat(mover.get("isolated").asBoolean()).isFalse();
        assertThat(mover.get("stateFields")).extracting(x -> x.get("name").asText()).contains("speed", "direction", "updates");
        assertThat(s.get("control").get("reloadAvailable").asBoolean()).isTrue();
        assertThat(s.get("frames").size()).isPositive();
    }

    /**
     * The scripts view's time per library is measured while an inspector is attached (a clock
     * reading per library call), and not without one: an engine with no inspector reads no clock
     * per call.
     */
    @Test
    void libraryCallsAreTimedWhileAnInspectorIsAttachedOnly() throws Exception {
        assertThat(f.onFrame(() -> f.engine.scripts().timesLibraryCalls())).isTrue();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        long timed = 0;
        while (timed == 0 && System.nanoTime() < deadline) {
            timed = f.onFrame(() -> f.engine.scripts().library("mover").callNanos());
            if (timed == 0) Thread.sleep(20);
        }
        assertThat(timed).isPositive();

        try (TestEngine t = new TestEngine()) {
            t.load(TestEngine.example("mover.zig"));
            t.engine.scripts().attach(t.engine.world().spawn(), "mover", 0, null);
            t.run(20);
            assertThat(t.engine.scripts().timesLibraryCalls()).isFalse();
            assertThat(t.engine.scripts().library("mover").callNanos()).isZero();
        }
    }

    @Test
    void anEntityShowsItsTransformVarsAndScriptsWithState() throws Exception {
        JsonNode d = callJson("GET", "/api/entities/" + f.entity("walker"), null);
        assertThat(d.get("name").asText()).isEqualTo("walker");
        assertThat(d.get("tags").toString()).contains("walker");
        assertThat(d.get("position")).hasSize(3);
        assertThat(d.get("vars").get("speed").asDouble()).isEqualTo(3.0);
        JsonNode mover = d.get("scripts").get(0);
        assertThat(mover.get("script").asText()).isEqualTo("mover");
        assertThat(mover.get("phase").asText()).isEqualTo("update");
        JsonNode speed = find(mover.get("state"), "name", "speed");
        assertThat(speed.get("type").asText()).isEqualTo("f32");
        assertThat(speed.get("value").asDouble()).isEqualTo(3.0);
        assertThat(find(mover.get("state"), "name", "direction").get("type").asText()).isEqualTo("vec3");
        assertThat(call("GET", "/api/entities/12345", null).statusCode()).isEqualTo(404);
        assertThat(call("GET", "/api/entities/walker", null).statusCode()).isEqualTo(400);
    }

    @Test
    void anEntityShowsEachContainerOfItsScriptsWithContentsAndMemory() throws Exception {
        Path keeper = dir.resolve("keeper.zig");
        Files.writeString(keeper, ContainerMemoryViewTest.SCRIPT);
        long turner = f.entity("turner");
        int id = f.onFrame(() -> {
            try {
                f.engine.loadScript(keeper);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            f.engine.scripts().setMemoryBudget("keeper", 8192L);
            return f.engine.scripts().attach(turner, "keeper", 5, null).id();
        });
        try {
            f.onFrame(() -> null); // attached and initialised, then one update: the containers are filled
            f.onFrame(() -> null);
            JsonNode keeperView = find(callJson("GET", "/api/entities/" + turner, null).get("scripts"), "script", "keeper");
            assertThat(find(keeperView.get("state"), "name", "trail").get("type").asText()).isEqualTo("container");
            JsonNode memory = keeperView.get("memory");
            assertThat(memory.get("budgetBytes").asLong()).isEqualTo(8192);
            assertThat(memory.get("usedBytes").asLong()).isPositive();
            JsonNode containers = memory.get("containers");
            assertThat(containers).extracting(c -> c.get("field").asText())
                    .containsExactly("trail", "label", "empty", "seen", "scores", "inner.names", "count");
            JsonNode label = find(containers, "field", "label");
            assertThat(label.get("kind").asText()).isEqualTo("string");
            assertThat(label.get("elements").asText()).isEqualTo("hello");
            JsonNode scores = find(containers, "field", "scores");
            assertThat(scores.get("elements").toString()).isEqualTo("[{\"key\":7,\"value\":-3},{\"key\":9,\"value\":40}]");
            assertThat(find(containers, "field", "count").get("more").asInt()).isEqualTo(10);
        } finally {
            call("DELETE", "/api/instances/" + id, null);
        }
    }

    @Test
    void aStateEditIsAppliedAtTheNextBarrier() throws Exception {
        int id = instanceOf("walker", "mover").id();
        HttpResponse<String> r = call("POST", "/api/instances/" + id + "/state", "{\"field\":\"direction\",\"value\":\"0, 0, 1\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(f.onFrame(() -> StateFields.read(instanceOf("walker", "mover"), "direction")))
                .isEqualTo(new Vec3(0, 0, 1));
        assertThat(call("POST", "/api/instances/" + id + "/state", "{\"field\":\"direction\",\"value\":\"1, 0, 0\"}").statusCode())
                .isEqualTo(200);
    }

    @Test
    void aScriptVarsEditKeepsTheVarsKindAndABadOneChangesNothing() throws Exception {
        long walker = f.entity("walker");
        String path = "/api/entities/" + walker + "/vars";
        HttpResponse<String> ok = call("POST", path, "{\"key\":\"speed\",\"value\":\"4.5\"}");
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        assertThat(f.onFrame(() -> f.engine.world().getVar(walker, "speed"))).isEqualTo(new VarValue.F64(4.5));
        String[][] bad = {
                {"{\"key\":\"speed\",\"value\":\"fast\"}", "400", "ScriptVars 'speed': 'fast' is not a number (an f64)"},
                {"{\"key\":\"speed\",\"value\":\"Infinity\"}", "400", "is not finite"},
                {"{\"key\":\"nope\",\"value\":\"1\"}", "404", "has no ScriptVars entry 'nope'"},
                {"{\"key\":\"speed\"}", "400", "'value' is required"},
        };
        for (String[] c : bad) {
            HttpResponse<String> r = call("POST", path, c[0]);
            assertThat(r.statusCode()).as(c[0]).isEqualTo(Integer.parseInt(c[1]));
            assertThat(r.body()).as(c[0]).contains(c[2]);
        }
        assertThat(f.onFrame(() -> f.engine.world().getVar(walker, "speed"))).isEqualTo(new VarValue.F64(4.5));
        assertThat(call("POST", path, "{\"key\":\"speed\",\"value\":\"3\"}").statusCode()).isEqualTo(200);
    }

    @Test
    void aComponentFieldEditIsCheckedByTheFieldsType() throws Exception {
        long rock = f.entity("rock");
        String path = "/api/entities/" + rock + "/components/health";
        HttpResponse<String> ok = call("POST", path, "{\"field\":\"hp\",\"value\":\"7.5\"}");
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        JsonNode detail = callJson("GET", "/api/entities/" + rock, null);
        JsonNode health = find(detail.get("components"), "name", "health");
        assertThat(find(health.get("fields"), "name", "hp").get("value").asDouble()).isEqualTo(7.5);
        assertThat(find(health.get("fields"), "name", "lives").get("value").asLong()).isEqualTo(1); // untouched
        String[][] bad = {
                {"{\"field\":\"lives\",\"value\":\"-1\"}", "400", "component field 'health.lives' (u32): -1 is out of range"},
                {"{\"field\":\"hp\",\"value\":\"lots\"}", "400", "'lots' is not a number"},
                {"{\"field\":\"armor\",\"value\":\"1\"}", "404", "component 'health' has no field 'armor'"},
        };
        for (String[] c : bad) {
            HttpResponse<String> r = call("POST", path, c[0]);
            assertThat(r.statusCode()).as(c[0]).isEqualTo(Integer.parseInt(c[1]));
            assertThat(r.body()).as(c[0]).contains(c[2]);
        }
        HttpResponse<String> none = call("POST", "/api/entities/" + f.entity("walker") + "/components/health",
                "{\"field\":\"hp\",\"value\":\"1\"}");
        assertThat(none.statusCode()).isEqualTo(404);
        assertThat(none.body()).contains("has no 'health' component");
        detail = callJson("GET", "/api/entities/" + rock, null);
        health = find(detail.get("components"), "name", "health");
        assertThat(find(health.get("fields"), "name", "hp").get("value").asDouble()).isEqualTo(7.5); // bad edits changed nothing
    }

    @Test
    void aBadStateEditIs400WithAMessageAndChangesNothing() throws Exception {
        int id = instanceOf("walker", "mover").id();
        String path = "/api/instances/" + id + "/state";
        Object before = f.onFrame(() -> StateFields.read(instanceOf("walker", "mover"), "speed"));
        String[][] cases = {
                {"{\"field\":\"speed\",\"value\":\"fast\"}", "'fast' is not a number"},
                {"{\"field\":\"speed\",\"value\":\"NaN\"}", "not a finite number"},
                {"{\"field\":\"speed\",\"value\":\"1e40\"}", "does not fit in an f32"},
                {"{\"field\":\"updates\",\"value\":\"-1\"}", "out of range"},
                {"{\"field\":\"updates\",\"value\":\"1.5\"}", "not an integer"},
                {"{\"field\":\"direction\",\"value\":\"1, 2\"}", "expected 3 comma-separated numbers"},
                {"{\"field\":\"nope\",\"value\":\"1\"}", "has no State field 'nope'"},
                {"{\"field\":\"speed\"}", "'value' is required"},
                {"{\"value\":\"1\"}", "'field' is required"},
                {"not json", "not valid JSON"},
                {"", "needs a JSON object body"},
        };
        for (String[] c : cases) {
            HttpResponse<String> r = call("POST", path, c[0]);
            assertThat(r.statusCode()).as(c[0]).isEqualTo(400);
            assertThat(json.readTree(r.body()).get("error").asText()).as(c[0]).contains(c[1]);
        }
        assertThat(f.onFrame(() -> StateFields.read(instanceOf("walker", "mover"), "speed"))).isEqualTo(before);
        assertThat(call("POST", "/api/instances/9999/state", "{\"field\":\"speed\",\"value\":\"1\"}").statusCode()).isEqualTo(404);
        assertThat(call("POST", "/api/instances/x/state", "{\"field\":\"speed\",\"value\":\"1\"}").statusCode()).isEqualTo(400);
    }

    @Test
    void scriptsAreAttachedReorderedDisabledAndDetached() throws Exception {
        long rock = f.entity("rock");
        HttpResponse<String> r = call("POST", "/api/entities/" + rock + "/scripts", "{\"script\":\"spinner\",\"priority\":5}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        call("POST", "/api/entities/" + rock + "/scripts", "{\"script\":\"mover\",\"priority\":1,\"phase\":\"post_update\"}");
        assertThat(f.onFrame(() -> names(rock))).containsExactly("mover", "spinner");
        int spinner = f.onFrame(() -> f.engine.scripts().scriptsOn(rock).get(1).id());
        assertThat(call("POST", "/api/instances/" + spinner + "/priority", "{\"priority\":-1}").statusCode()).isEqualTo(200);
        assertThat(f.onFrame(() -> names(rock))).containsExactly("spinner", "mover");
        assertThat(call("POST", "/api/instances/" + spinner + "/enabled", "{\"enabled\":false}").statusCode()).isEqualTo(200);
        assertThat(f.onFrame(() -> f.engine.scripts().instance(spinner).enabled())).isFalse();
        assertThat(call("DELETE", "/api/instances/" + spinner, null).statusCode()).isEqualTo(200);
        assertThat(f.onFrame(() -> names(rock))).containsExactly("mover");
        assertThat(call("DELETE", "/api/instances/" + spinner, null).statusCode()).isEqualTo(404);
        String[][] bad = {
                {"{\"script\":\"ghost\"}", "no script named 'ghost'"},
                {"{\"script\":\"spinner\",\"phase\":\"later\"}", "phase 'later'"},
                {"{\"script\":\"spinner\",\"priority\":\"high\"}", "'priority' must be a whole number"},
                {"{\"priority\":1}", "'script' is required"},
        };
        for (String[] c : bad) {
            HttpResponse<String> b = call("POST", "/api/entities/" + rock + "/scripts", c[0]);
            assertThat(b.statusCode()).as(c[0]).isEqualTo(400);
            assertThat(b.body()).contains(c[1]);
        }
        assertThat(f.onFrame(() -> names(rock))).containsExactly("mover");
        assertThat(call("POST", "/api/instances/" + spinner + "/priority", "{\"priority\":1.5}").statusCode()).isEqualTo(400);
        call("DELETE", "/api/instances/" + f.onFrame(() -> f.engine.scripts().scriptsOn(rock).get(0).id()), null);
    }

    @Test
    void pauseStepsOneFrameAtATimeAndResumes() throws Exception {
        assertThat(call("POST", "/api/control/step", "{}").statusCode()).isEqualTo(409);
        assertThat(call("POST", "/api/control/pause", "{\"paused\":true}").statusCode()).isEqualTo(200);
        long at = f.onFrame(f.engine::frameIndex);
        Thread.sleep(200);
        assertThat(f.onFrame(f.engine::frameIndex)).isEqualTo(at);
        assertThat(call("POST", "/api/control/step", "{}").statusCode()).isEqualTo(200);
        Thread.sleep(200);
        assertThat(f.onFrame(f.engine::frameIndex)).isEqualTo(at + 1);
        assertThat(call("POST", "/api/control/pause", "{\"paused\":\"no\"}").statusCode()).isEqualTo(400);
        assertThat(call("POST", "/api/control/pause", "{\"paused\":false}").statusCode()).isEqualTo(200);
        Thread.sleep(200);
        assertThat(f.onFrame(f.engine::frameIndex)).isGreaterThan(at + 3);
    }

    @Test
    void safeModeSuspendsScriptUpdatesButFramesGoOn() throws Exception {
        assertThat(call("POST", "/api/control/safe-mode", "{\"on\":true}").statusCode()).isEqualTo(200);
        Thread.sleep(50);
        long frame = f.onFrame(f.engine::frameIndex);
        long updates = f.onFrame(() -> (Long) StateFields.read(instanceOf("walker", "mover"), "updates"));
        Thread.sleep(200);
        assertThat(f.onFrame(f.engine::frameIndex)).isGreaterThan(frame + 3);
        assertThat(f.onFrame(() -> (Long) StateFields.read(instanceOf("walker", "mover"), "updates"))).isEqualTo(updates);
        assertThat(call("POST", "/api/control/safe-mode", "{\"on\":false}").statusCode()).isEqualTo(200);
        Thread.sleep(200);
        assertThat(f.onFrame(() -> (Long) StateFields.read(instanceOf("walker", "mover"), "updates"))).isGreaterThan(updates);
    }

    @Test
    void reloadRevertAndAutoReloadAnswerWithWhatTheyDid() throws Exception {
        assertThat(call("POST", "/api/control/auto-reload", "{\"on\":false}").statusCode()).isEqualTo(200);
        assertThat(f.reloads.autoReload()).isFalse();
        assertThat(call("POST", "/api/control/auto-reload", "{\"on\":true}").statusCode()).isEqualTo(200);
        assertThat(f.reloads.autoReload()).isTrue();
        HttpResponse<String> revert = call("POST", "/api/scripts/spinner/revert", "{}");
        assertThat(revert.statusCode()).isEqualTo(409);
        assertThat(revert.body()).contains("no earlier good version");
        assertThat(call("POST", "/api/scripts/ghost/reload", "{}").statusCode()).isEqualTo(404);
        assertThat(call("POST", "/api/scripts/ghost/revert", "{}").statusCode()).isEqualTo(404);
        assertThat(call("POST", "/api/scripts/spinner/reload", "{}").statusCode()).isEqualTo(200);
    }

    @Test
    void logsAreFilteredByLevelAndScript() throws Exception {
        f.onFrame(() -> {
            f.engine.scripts().logEngine(LogEntry.Level.WARN, "inspector test warning");
            return null;
        });
        JsonNode warn = callJson("GET", "/api/logs?level=WARN&script=engine", null);
        assertThat(warn.toString()).contains("inspector test warning");
        assertThat(warn).allMatch(l -> l.get("level").asText().equals("WARN"));
        assertThat(callJson("GET", "/api/logs?script=mover", null).toString()).doesNotContain("inspector test warning");
    }

    private static ScriptInstance instanceOf(String entity, String script) {
        return f.engine.scripts().scriptsOn(f.entity(entity)).stream().filter(i -> i.scriptName().equals(script))
                .findFirst().orElseThrow();
    }

    private static List<String> names(long entity) {
        return f.engine.scripts().scriptsOn(entity).stream().map(ScriptInstance::scriptName).toList();
    }

    private static JsonNode find(JsonNode array, String key, String value) {
        for (JsonNode n : array) if (n.get(key).asText().equals(value)) return n;
        throw new AssertionError("no element with " + key + "=" + value + " in " + array);
    }

}
