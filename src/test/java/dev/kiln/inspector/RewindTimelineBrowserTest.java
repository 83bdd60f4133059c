package dev.kiln.inspector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.testing.TestEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;

/**
 * The recording's timeline under the scene view, in headless Chromium against a live scene: the
 * recorded range grows, a hot reload is marked, and "Check replay" replays the recording (with
 * the reload) and finds every hash again; the recording downloads as a file kiln replay reads.
 */
class RewindTimelineBrowserTest {
    static final Path SHOTS = TestEngine.home().resolve("target/inspector-screenshots");

    @TempDir
    static Path profile;
    @TempDir
    Path dir;
    static Browser b;
    InspectorFixture f;

    @BeforeAll
    static void openBrowser() {
        Assumptions.assumeTrue(Browser.available(), "chromium and chromedriver are not installed (./kiln test installs them)");
        b = new Browser(profile);
    }

    @AfterAll
    static void closeBrowser() {
        if (b != null) b.close();
    }

    @BeforeEach
    void open() throws Exception {
        f = new InspectorFixture(dir);
        b.driver.get(f.server.url());
        b.await("the entity list", 20, () -> b.driver.findElements(By.cssSelector(".entity-row")).size() == 3);
    }

    @AfterEach
    void close() throws Exception {
        f.close();
    }

    private int recordedFrames() {
        String label = b.text(By.id("timeline-label"));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("recorded frames 0–(\\d+)").matcher(label);
        return m.find() ? Integer.parseInt(m.group(1)) + 1 : 0;
    }

    @Test
    void theTimelineShowsTheRecordingMarksAReloadAndTheReplayCheckFindsEveryHash() throws Exception {
        b.await("a recorded range", 20, () -> recordedFrames() > 30);
        int before = recordedFrames();
        b.await("the range grows", 20, () -> recordedFrames() > before);
        assertThat(b.present(By.cssSelector("#timeline-bar .mark.keyframe"))).isTrue();
        assertThat(b.text(By.id("timeline-label"))).contains("0 reload(s)");

        // A hot reload (mover 1.5× faster) is recorded and marked.
        String source = Files.readString(TestEngine.example("mover.zig"));
        Path temp = dir.resolve(".mover.zig.swp");
        Files.writeString(temp, source.replace("self.speed * ctx.deltaTime()", "self.speed * 1.5 * ctx.deltaTime()"));
        Files.move(temp, dir.resolve("mover.zig"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        b.await("a reload mark", 120, () -> b.present(By.cssSelector("#timeline-bar .mark.reload")));
        assertThat(b.text(By.id("timeline-label"))).contains("1 reload(s)");

        b.onElement(By.id("btn-replay-check"), e -> e.click());
        b.await("the replay check's answer", 120, () -> b.text(By.id("timeline-result")).contains("every hash matches"));
        assertThat(b.text(By.id("timeline-result"))).matches("replayed \\d+ frames: every hash matches");
        b.screenshot(SHOTS.resolve("timeline.png"));

        String href = b.driver.findElement(By.id("link-recording")).getAttribute("href");
        assertThat(href).contains("/api/rewind/recording?token=");
    }
}
