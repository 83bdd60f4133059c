package dev.kiln.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.kiln.build.KilnHome;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * examples/arena, the libGDX game, really runs: built as its own Maven project against the
 * installed kiln-engine, run under Xvfb (Mesa's software GL) for {@link #FRAMES} frames with
 * the scripted input (right 1 s, up 0.75 s), its last frame saved to docs/arena/arena.png.
 * From the pixels: the player is drawn where the input sent it, and every enemy is drawn where
 * the engine reports it. Skipped, saying why, where Xvfb or Mesa is missing (./kiln test installs
 * them with apt-get).
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

    @Test
    void theGameDrawsThePlayerWhereTheInputSentItAndEnemiesWhereTheEngineSaysTheyAre() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(XVFB_RUN), "skipped: no " + XVFB_RUN
                + " (apt-get install xvfb; ./kiln test installs it): the arena needs a display");
        Assumptions.assumeTrue(Files.exists(MESA_SOFTWARE_GL), "skipped: no " + MESA_SOFTWARE_GL
                + " (apt-get install libgl1-mesa-dri; ./kiln test installs it): the arena needs OpenGL");
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
