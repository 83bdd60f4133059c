package dev.kiln.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.build.KilnHome;
import java.awt.image.BufferedImage;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * examples/arena, the libGDX game, really runs: built as its own Maven project against the
 * installed kiln-engine, run under Xvfb (Mesa's software GL) for {@link #FRAMES} frames with
 * the scripted input (right 1 s, up 0.75 s), its last frame saved to docs/arena/arena.png.
 * From the pixels: the player is drawn where the input sent it, and every enemy is drawn where
 * the engine reports it. And with its development tools on (the default of
 * {@code ./kiln example arena}): while the window runs, the inspector serves the game's entities
 * and a saved script is reloaded into it. Skipped, saying why, where Xvfb or Mesa is missing
 * (./kiln test installs them with apt-get).
 */
class ArenaExampleTest {
    static final int FRAMES = 300;
    /** Building four scripts cold and running 300 frames takes ~15 s; a hang must not stall CI. */
    static final long RUN_MINUTES = 3;
    /** The arena's mapping (examples/arena Arena.java): 20 px per unit, (0, 0) at the centre. */
    static final int WIDTH = 800, HEIGHT = 480, PIXELS_PER_UNIT = 20;
    /** Where the scripted input leaves the player: player_speed 8 × (1 s right, 0.75 s up). */
    static final float EXPECTED_X = 8, EXPECTED_Y = 6;
    static final int PLAYER_RGB = rgb(0.2f, 0.9f, 0.3f), ENEMY_RGB = rgb(0.95f, 0.2f, 0.2f);
    static final Path XVFB_RUN = Path.of("/usr/bin/xvfb-run");
    static final Path MESA_SOFTWARE_GL = Path.of("/usr/lib/x86_64-linux-gnu/dri/swrast_dri.so");

    record Spot(String kind, float x, float y) {}

    /** Waiting for a line of the running game, or for the inspector to show a change: a limit, not a timing. */
    static final Duration DEV_WAIT = Duration.ofMinutes(3);
    /** Where the edited player script puts the player (not reachable by the keyboard-less game). */
    static final float EDITED_X = -5, EDITED_Y = -4;

    static void assumeDisplay() {
        Assumptions.assumeTrue(Files.isExecutable(XVFB_RUN), "skipped: no " + XVFB_RUN
                + " (apt-get install xvfb; ./kiln test installs it): the arena needs a display");
        Assumptions.assumeTrue(Files.exists(MESA_SOFTWARE_GL), "skipped: no " + MESA_SOFTWARE_GL
                + " (apt-get install libgl1-mesa-dri; ./kiln test installs it): the arena needs OpenGL");
    }

    @Test
    void theGameDrawsThePlayerWhereTheInputSentItAndEnemiesWhereTheEngineSaysTheyAre() throws Exception {
        assumeDisplay();
        Path home = KilnHome.locate();
        Path arena = home.resolve("examples/arena");
        Path screenshot = home.resolve("docs/arena/arena.png");
        Files.createDirectories(screenshot.getParent());
        MavenProjects.installEngine();
        String classpath = MavenProjects.compile(arena);

        String out = MavenProjects.run(arena, RUN_MINUTES, XVFB_RUN.toString(), "-a", "-s", "-screen 0 1280x720x24",
                MavenProjects.java(), "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
                "-Dkiln.home=" + home, "-cp", classpath, "dev.kiln.arena.ArenaMain",
                "--frames", String.valueOf(FRAMES), "--screenshot", screenshot.toString(), "--scripted", "--no-dev",
                "--build-dir", home.resolve("target/kiln-test-build").toString());

        List<Spot> spots = report(out);
        assertThat(out).as(out).containsPattern("report frames " + FRAMES + " score [1-9]");
        List<Spot> players = spots.stream().filter(s -> s.kind.equals("player")).toList();
        List<Spot> enemies = spots.stream().filter(s -> s.kind.equals("enemy")).toList();
        assertThat(players).as(out).hasSize(1);
        assertThat(players.getFirst().x).isCloseTo(EXPECTED_X, within(0.01f));
        assertThat(players.getFirst().y).isCloseTo(EXPECTED_Y, within(0.01f));
        assertThat(enemies).as("enemies alive at the end: " + out).hasSizeGreaterThanOrEqualTo(3);

        BufferedImage image = ImageIO.read(screenshot.toFile());
        assertThat(image.getWidth()).isEqualTo(WIDTH);
        assertThat(image.getHeight()).isEqualTo(HEIGHT);
        assertThat(colourAt(image, players.getFirst())).as("the player at its reported place").isEqualTo("player");
        assertThat(colourAt(image, new Spot("start", 0, 0))).as("nothing green where it started").isNotEqualTo("player");
        for (Spot enemy : enemies) assertThat(colourAt(image, enemy)).as("enemy at %s", enemy).isEqualTo("enemy");
    }

    /**
     * The game as {@code ./kiln example arena} runs it (hot reload and inspector on, real-time
     * frames, keyboard input: none under Xvfb), on a copy of its scene and scripts: the inspector
     * serves the running game, and a player.zig saved while the window runs is built and swapped
     * in, which the inspector then shows in the player's position.
     */
    @Test
    void hotReloadAndTheInspectorWorkWhileTheWindowRuns(@TempDir Path game) throws Exception {
        assumeDisplay();
        Path home = KilnHome.locate();
        Path arena = home.resolve("examples/arena");
        Files.copy(arena.resolve("scene.json"), game.resolve("scene.json"));
        Files.createDirectories(game.resolve("scripts"));
        try (var scripts = Files.list(arena.resolve("scripts"))) {
            for (Path p : scripts.toList()) Files.copy(p, game.resolve("scripts").resolve(p.getFileName()));
        }
        MavenProjects.installEngine();
        String classpath = MavenProjects.compile(arena);

        ProcessBuilder pb = new ProcessBuilder(XVFB_RUN.toString(), "-a", "-s", "-screen 0 1280x720x24",
                MavenProjects.java(), "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
                "-Dkiln.home=" + home, "-cp", classpath, "dev.kiln.arena.ArenaMain",
                "--scene", game.resolve("scene.json").toString(),
                "--build-dir", home.resolve("target/kiln-test-build").toString())
                .directory(game.toFile()).redirectErrorStream(true);
        Process xvfb = pb.start();
        LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
        StringBuilder out = new StringBuilder();
        Thread reader = Thread.ofVirtual().start(() -> readLines(xvfb, lines, out));
        try {
            String ready = awaitLine(lines, l -> l.startsWith("arena: inspector at "), out);
            String url = ready.substring("arena: inspector at ".length()).strip();
            String token = URI.create(url).getQuery().substring("token=".length());
            String base = url.substring(0, url.indexOf("/?"));
            assertThat(awaitLine(lines, l -> l.startsWith("arena: hot reload on"), out)).isNotNull();

            JsonNode before = awaitSnapshot(base, token, s -> player(s) != null && s.get("frame").asLong() > 0, out);
            assertThat(player(before).get("x").floatValue()).as("no keys held under Xvfb").isEqualTo(0f);

            Path player = game.resolve("scripts/player.zig");
            String source = Files.readString(player);
            String edited = source.replace("    const in = ctx.input();\n",
                    "    const in = ctx.input();\n    if (true) return ctx.setPosition(ctx.entity, kiln.vec3("
                            + EDITED_X + ", " + EDITED_Y + ", 0));\n");
            assertThat(edited).as("the edit applies to player.zig").isNotEqualTo(source);
            Path temp = game.resolve("scripts/.player.zig.swp"); // saved as editors do: write, then rename over
            Files.writeString(temp, edited);
            Files.move(temp, player, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);

            assertThat(awaitLine(lines, l -> l.startsWith("reload: player running new code"), out)).isNotNull();
            JsonNode after = awaitSnapshot(base, token, s -> player(s) != null
                    && player(s).get("x").floatValue() == EDITED_X, out);
            assertThat(player(after).get("y").floatValue()).isEqualTo(EDITED_Y);
            assertThat(after.get("frame").asLong()).isGreaterThan(before.get("frame").asLong());
            assertThat(xvfb.isAlive()).as("the window still runs: " + out).isTrue();
        } finally {
            // The game runs until its window closes: end the JVM that xvfb-run started (SIGTERM),
            // and xvfb-run then stops its X server itself.
            xvfb.descendants().filter(h -> h.info().command().orElse("").endsWith("/java")).forEach(ProcessHandle::destroy);
            if (!xvfb.waitFor(1, TimeUnit.MINUTES)) {
                xvfb.descendants().forEach(ProcessHandle::destroyForcibly);
                xvfb.destroyForcibly();
            }
            reader.join(Duration.ofSeconds(10));
        }
    }

    private static void readLines(Process p, LinkedBlockingQueue<String> lines, StringBuilder out) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                synchronized (out) {
                    out.append(line).append('\n');
                }
                lines.add(line);
            }
        } catch (IOException e) {
            lines.add("(output unreadable: " + e.getMessage() + ")");
        }
    }

    /** The first line (from now on) that {@code wanted} accepts; fails showing the output after {@link #DEV_WAIT}. */
    private static String awaitLine(LinkedBlockingQueue<String> lines, Predicate<String> wanted, StringBuilder out)
            throws InterruptedException {
        long deadline = System.nanoTime() + DEV_WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            String line = lines.poll(1, TimeUnit.SECONDS);
            if (line != null && wanted.test(line)) return line;
        }
        synchronized (out) {
            throw new AssertionError("the arena did not print the expected line in " + DEV_WAIT + ":\n" + out);
        }
    }

    /** The inspector's snapshot once {@code wanted} accepts it; fails showing the game's output after {@link #DEV_WAIT}. */
    private static JsonNode awaitSnapshot(String base, String token, Predicate<JsonNode> wanted, StringBuilder out)
            throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/api/snapshot"))
                .header("X-Kiln-Token", token).timeout(Duration.ofSeconds(30)).build();
        ObjectMapper json = new ObjectMapper();
        long deadline = System.nanoTime() + DEV_WAIT.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            last = json.readTree(response.body());
            if (last != null && !last.isNull() && wanted.test(last)) return last;
            Thread.sleep(100);
        }
        synchronized (out) {
            throw new AssertionError("the inspector never showed the expected snapshot in " + DEV_WAIT + "; last: "
                    + last + "\ngame output:\n" + out);
        }
    }

    /** The entity named "player" in an inspector snapshot, or null. */
    private static JsonNode player(JsonNode snapshot) {
        for (JsonNode e : snapshot.get("entities")) if ("player".equals(e.path("name").asText())) return e;
        return null;
    }

    private static List<Spot> report(String out) {
        List<Spot> spots = new ArrayList<>();
        for (String line : out.lines().toList()) {
            String[] w = line.split(" ");
            if (w.length == 4 && w[0].equals("report") && !w[1].equals("frames")) {
                spots.add(new Spot(w[1], Float.parseFloat(w[2]), Float.parseFloat(w[3])));
            }
        }
        return spots;
    }

    /** "player", "enemy" or "other": the pixel at a world position (image rows run top-down). */
    private static String colourAt(BufferedImage image, Spot s) {
        int px = Math.round((s.x + WIDTH / 2f / PIXELS_PER_UNIT) * PIXELS_PER_UNIT);
        int py = Math.round((HEIGHT / 2f / PIXELS_PER_UNIT - s.y) * PIXELS_PER_UNIT);
        int rgb = image.getRGB(Math.clamp(px, 0, WIDTH - 1), Math.clamp(py, 0, HEIGHT - 1)) & 0xFFFFFF;
        if (close(rgb, PLAYER_RGB)) return "player";
        if (close(rgb, ENEMY_RGB)) return "enemy";
        return String.format("other #%06x", rgb);
    }

    /** Within a few levels per channel: software GL rounds colours its own way. */
    private static boolean close(int a, int b) {
        for (int shift = 0; shift <= 16; shift += 8) {
            if (Math.abs(((a >> shift) & 0xFF) - ((b >> shift) & 0xFF)) > 8) return false;
        }
        return true;
    }

    private static int rgb(float r, float g, float b) {
        return Math.round(r * 255) << 16 | Math.round(g * 255) << 8 | Math.round(b * 255);
    }
}
