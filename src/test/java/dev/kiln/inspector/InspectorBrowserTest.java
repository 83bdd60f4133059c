package dev.kiln.inspector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.ecs.Entities;
import dev.kiln.ecs.NameHash;
import dev.kiln.ecs.VarValue;
import dev.kiln.testing.TestEngine;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.Select;

/**
 * The inspector in real headless Chromium against a live scene: what a developer does with it.
 * Screenshots of the main views land in target/inspector-screenshots (docs/inspector/ holds
 * the committed copies shown in the README).
 */
class InspectorBrowserTest {
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

    private void selectEntity(String name) {
        b.onElement(By.xpath("//li[contains(@class,'entity-row')][span[@class='name' and text()='" + name + "']]"),
                e -> e.click());
        b.await(name + " in the inspector", 10, () -> b.text(By.cssSelector(".ename")).equals(name));
    }

    private double walkerX() {
        String[] x = new String[1];
        b.onElement(By.id("pos"), e -> x[0] = e.getAttribute("data-x"));
        return Double.parseDouble(x[0]);
    }

    private boolean walkerMoves() throws InterruptedException {
        double x0 = walkerX();
        Thread.sleep(400);
        return Math.abs(walkerX() - x0) > 1e-4;
    }

    /** Clicks a State field, types a value and presses Enter (the page re-renders around the focused field). */
    private void editState(String script, String field, String value) {
        b.onElement(By.cssSelector(".instance[data-script='" + script + "'] .state-input[data-field='" + field + "']"),
                e -> e.click());
        b.driver.switchTo().activeElement().sendKeys(Keys.chord(Keys.CONTROL, "a"), value, Keys.ENTER);
    }

    private void save(String file, String source) throws Exception {
        Path temp = dir.resolve("." + file + ".swp");
        Files.writeString(temp, source);
        Files.move(temp, dir.resolve(file), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private String moverSource() throws Exception {
        return Files.readString(TestEngine.example("mover.zig"));
    }

    private String currentVersion(String script) {
        return b.text(By.cssSelector("#scripts-table tr[data-script='" + script + "'] td.current-version"));
    }

    @Test
    void selectAnEntityAndWatchItMoveSearchAndPauseStepResume() throws Exception {
        b.onElement(By.id("entity-search"), e -> e.sendKeys("prop"));
        b.await("search by tag", 5, () -> b.driver.findElements(By.cssSelector(".entity-row")).size() == 2);
        b.onElement(By.id("entity-search"), e -> e.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.BACK_SPACE));
        selectEntity("walker");
        assertThat(walkerMoves()).isTrue();
        assertThat(b.text(By.id("inspector"))).containsIgnoringCase("ScriptVars").contains("speed").contains("mover");
        b.screenshot(SHOTS.resolve("scene-and-entity.png"));
        b.onElement(By.id("btn-pause"), e -> e.click());
        b.await("paused", 5, () -> b.text(By.id("run-state")).equals("paused"));
        assertThat(walkerMoves()).isFalse();
        double x = walkerX();
        b.onElement(By.id("btn-step"), e -> e.click());
        b.await("one frame further", 5, () -> Math.abs(walkerX() - x) > 1e-4);
        b.onElement(By.id("btn-resume"), e -> e.click());
        b.await("running", 5, () -> b.text(By.id("run-state")).equals("running"));
        assertThat(walkerMoves()).isTrue();
    }

    @Test
    void clickingTheSceneViewSelects() throws Exception {
        // The view fits all entities; "rock" is the left-most, so pick it by its projected position.
        b.await("drawn", 5, () -> true);
        Object hit = b.driver.executeScript("""
                const e = app.snap.entities.find(x => x.name === 'rock');
                const r = document.querySelector('#scene-canvas').getBoundingClientRect();
                const [sx, sy] = toScreen(e.x, e.z, r.width, r.height);
                return [sx, sy, r.width, r.height];""");
        @SuppressWarnings("unchecked") List<Number> p = (List<Number>) hit;
        var canvas = b.driver.findElement(By.id("scene-canvas"));
        new Actions(b.driver)
                .moveToElement(canvas, (int) (p.get(0).doubleValue() - p.get(2).doubleValue() / 2),
                        (int) (p.get(1).doubleValue() - p.get(3).doubleValue() / 2)).click().perform();
        b.await("rock selected from the canvas", 10, () -> b.text(By.cssSelector(".ename")).equals("rock"));
    }

    @Test
    void editAScriptVarsValueInThePage() throws Exception {
        selectEntity("walker");
        b.onElement(By.cssSelector(".var-input[data-var='speed']"), e -> e.click());
        b.driver.switchTo().activeElement().sendKeys(Keys.chord(Keys.CONTROL, "a"), "quick", Keys.ENTER);
        b.await("the kind error shown beside the var", 10,
                () -> b.text(By.cssSelector(".field-error")).contains("'quick' is not a number (an f64)"));
        b.onElement(By.cssSelector(".var-input[data-var='speed']"), e -> e.click());
        b.driver.switchTo().activeElement().sendKeys(Keys.chord(Keys.CONTROL, "a"), "7.5", Keys.ENTER);
        long walker = f.entity("walker");
        b.await("the var changed in the world", 10, () -> {
            try {
                return new VarValue.F64(7.5).equals(f.onFrame(() -> f.engine.world().getVar(walker, "speed")));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    void editAComponentFieldInThePage() throws Exception {
        selectEntity("rock");
        By hp = By.cssSelector(".comp-input[data-comp='health'][data-field='hp']");
        b.onElement(hp, e -> e.click());
        b.driver.switchTo().activeElement().sendKeys(Keys.chord(Keys.CONTROL, "a"), "nope", Keys.ENTER);
        b.await("the type error shown beside the field", 10,
                () -> b.text(By.cssSelector(".field-error")).contains("'nope' is not a number"));
        b.onElement(hp, e -> e.click());
        b.driver.switchTo().activeElement().sendKeys(Keys.chord(Keys.CONTROL, "a"), "2.5", Keys.ENTER);
        long rock = f.entity("rock");
        b.await("the component changed in the world", 10, () -> {
            try {
                byte[] row = f.onFrame(() -> f.engine.world().getComponent(rock, NameHash.of("health")));
                return ByteBuffer.wrap(row).order(ByteOrder.LITTLE_ENDIAN).getFloat(0) == 2.5f;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    void editAStateFieldAndSeeTheScriptUseIt() throws Exception {
        selectEntity("walker");
        editState("mover", "speed", "0");
        b.await("walker stops at speed 0", 10, () -> {
            try {
                return !walkerMoves();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        editState("mover", "speed", "fast");
        b.await("the type error shown beside the field", 10,
                () -> b.text(By.cssSelector(".field-error")).contains("'fast' is not a number"));
        assertThat(walkerMoves()).isFalse(); // the bad value changed nothing
        editState("mover", "speed", "9");
        b.await("walker moves again", 10, () -> {
            try {
                return walkerMoves();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    void containerFieldsShowTheirSizesAndContents() throws Exception {
        Path keeper = dir.resolve("keeper.zig");
        Files.writeString(keeper, ContainerMemoryViewTest.SCRIPT);
        f.onFrame(() -> {
            try {
                f.engine.loadScript(keeper);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            f.engine.scripts().setMemoryBudget("keeper", 8192L);
            return f.engine.scripts().attach(f.entity("rock"), "keeper", 0, null);
        });
        selectEntity("rock");
        String trail = ".instance[data-script='keeper'] .container[data-field='trail']";
        b.await("the containers of the instance", 10, () -> b.present(By.cssSelector(trail)));
        b.await("five elements in the trail", 10, () -> b.text(By.cssSelector(trail + " .csize")).contains("len 5"));
        assertThat(b.text(By.cssSelector(trail + " .csize"))).isEqualTo("list · len 5 · cap 8 · 96 B");
        assertThat(b.driver.findElements(By.cssSelector(trail + " .celem"))).hasSize(5)
                .allSatisfy(e -> assertThat(e.getText()).isEqualTo("{x: 1, y: 2, z: 3}"));
        String instance = ".instance[data-script='keeper'] ";
        assertThat(b.text(By.cssSelector(instance + ".container[data-field='label'] .ctext"))).isEqualTo("\"hello\"");
        assertThat(b.text(By.cssSelector(instance + ".container[data-field='seen'] .celem")))
                .isEqualTo("{who: " + Entities.format(f.entity("rock")) + ", mood: angry, range: 2.5}");
        assertThat(b.driver.findElements(By.cssSelector(instance + ".container[data-field='scores'] .celem")))
                .extracting(WebElement::getText).containsExactly("7 → -3", "9 → 40");
        assertThat(b.text(By.cssSelector(instance + ".container[data-field='scores'] .csize"))).startsWith("map · len 2");
        assertThat(b.text(By.cssSelector(instance + ".container[data-field='inner.names'] .ctext"))).isEqualTo("\"deep\"");
        String count = instance + ".container[data-field='count'] ";
        assertThat(b.driver.findElements(By.cssSelector(count + ".celem"))).hasSize(ContainerViews.ELEMENTS_SHOWN);
        assertThat(b.text(By.cssSelector(count + ".cmore"))).isEqualTo("… and 10 more");
        assertThat(b.text(By.cssSelector(instance + ".mused"))).endsWith(" / 8192 B");
        b.onElement(By.cssSelector(instance + ".memory"), e -> ((JavascriptExecutor) b.driver)
                .executeScript("arguments[0].scrollIntoView()", e));
        b.screenshot(SHOTS.resolve("containers.png"));
    }

    @Test
    void attachAndDetachAScript() throws Exception {
        selectEntity("rock");
        assertThat(b.present(By.cssSelector(".instance"))).isFalse();
        b.onElement(By.id("attach-script"), e -> new Select(e).selectByVisibleText("spinner"));
        b.onElement(By.id("attach-btn"), e -> e.click());
        b.await("spinner attached", 10, () -> b.present(By.cssSelector(".instance[data-script='spinner'] .state-input[data-field='speed']")));
        b.onElement(By.cssSelector(".instance[data-script='spinner'] .detach-btn"), e -> e.click());
        b.await("spinner detached", 10, () -> !b.present(By.cssSelector(".instance[data-script='spinner']")));
    }

    @Test
    void aCompileErrorShowsItsLineAndRevertRunsTheOldCode() throws Exception {
        selectEntity("walker");
        String good = moverSource();
        // Version 2 stands still: translate is gone.
        save("mover.zig", good.replace("try ctx.translate(ctx.entity, step);", "_ = step;"));
        b.await("version 2 stands still", 120, () -> {
            try {
                return !walkerMoves();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        String broken = good.replace("self.updates += 1;", "self.updates += 1;\n    const oops: u32 = \"not a number\";");
        int line = List.of(broken.split("\n", -1)).indexOf("    const oops: u32 = \"not a number\";") + 1;
        save("mover.zig", broken);
        b.onElement(By.id("tab-errors"), e -> e.click());
        b.await("the diagnostic with its line", 120,
                () -> b.text(By.cssSelector(".error-card[data-kind='compile'] .loc")).contains("mover.zig:" + line + ":"));
        assertThat(b.text(By.cssSelector(".error-card[data-kind='compile']"))).contains("oops");
        assertThat(b.text(By.id("error-badge"))).isEqualTo("1");
        b.screenshot(SHOTS.resolve("errors.png"));
        b.onElement(By.cssSelector(".error-card[data-kind='compile'] .revert-btn"), e -> e.click());
        b.await("the old code runs again", 60, () -> {
            try {
                return walkerMoves();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        b.await("the error is cleared", 10, () -> !b.present(By.cssSelector(".error-card")));
    }

    @Test
    void autoReloadCanBeTurnedOffAndOn() throws Exception {
        b.onElement(By.id("tab-scripts"), e -> e.click());
        String v1 = currentVersion("mover");
        b.onElement(By.id("toggle-auto"), e -> e.click());
        b.await("auto-reload off", 5, () -> !f.reloads.autoReload());
        save("mover.zig", moverSource().replace("self.updates += 1;", "self.updates += 2;"));
        Thread.sleep(1500);
        assertThat(f.reloads.busy()).isFalse();
        assertThat(currentVersion("mover")).isEqualTo(v1);
        b.onElement(By.id("toggle-auto"), e -> e.click());
        b.await("auto-reload on", 5, () -> f.reloads.autoReload());
        save("mover.zig", moverSource().replace("self.updates += 1;", "self.updates += 3;"));
        b.await("the save reloads again", 120, () -> !currentVersion("mover").equals(v1));
        String hash = f.onFrame(() -> f.engine.scripts().library("mover").libraryPath().getFileName().toString());
        b.await("the table names the running library", 10, () -> currentVersion("mover").startsWith(hash));
        b.screenshot(SHOTS.resolve("scripts.png"));
        b.onElement(By.id("tab-console"), e -> e.click());
        b.screenshot(SHOTS.resolve("console.png"));
        b.onElement(By.id("tab-frames"), e -> e.click());
        Thread.sleep(300);
        b.screenshot(SHOTS.resolve("frame-time.png"));
    }

    /** Frames the timeline under the scene view says are recorded. */
    private int recordedFrames() {
        Matcher m = Pattern.compile("recorded frames 0–(\\d+)")
                .matcher(b.text(By.id("timeline-label")));
        return m.find() ? Integer.parseInt(m.group(1)) + 1 : 0;
    }

    /**
     * The recording's timeline (docs/rewind.md): the recorded range grows, a hot reload is marked,
     * and "Check replay" replays the recording with the reload and finds every hash again.
     */
    @Test
    void theTimelineShowsTheRecordingMarksAReloadAndTheReplayCheckFindsEveryHash() throws Exception {
        b.await("a recorded range", 20, () -> recordedFrames() > 30);
        int before = recordedFrames();
        b.await("the range grows", 20, () -> recordedFrames() > before);
        assertThat(b.present(By.cssSelector("#timeline-bar .mark.keyframe"))).isTrue();
        assertThat(b.text(By.id("timeline-label"))).contains("0 reload(s)");

        save("mover.zig", moverSource().replace("self.speed * ctx.deltaTime()", "self.speed * 1.5 * ctx.deltaTime()"));
        b.await("a reload mark", 120, () -> b.present(By.cssSelector("#timeline-bar .mark.reload")));
        assertThat(b.text(By.id("timeline-label"))).contains("1 reload(s)");

        b.onElement(By.id("btn-replay-check"), e -> e.click());
        b.await("the replay check's answer", 120, () -> b.text(By.id("timeline-result")).contains("every hash matches"));
        assertThat(b.text(By.id("timeline-result"))).matches("replayed \\d+ frames: every hash matches");
        b.screenshot(SHOTS.resolve("timeline.png"));
        assertThat(b.driver.findElement(By.id("link-recording")).getAttribute("href")).contains("/api/rewind/recording?token=");
    }

    /**
     * Rewinding the live run from the timeline: a click on the middle of the bar rewinds it there
     * (paused, a playhead on the bar), Step runs one recorded frame, Replay runs on to the end of
     * what was rewound over with every hash as recorded, Resume runs it live again.
     */
    @Test
    void aClickOnTheTimelineRewindsTheLiveRunStepReplayAndResumeRunItOn() throws Exception {
        b.await("two keyframes on the bar", 30, () -> b.driver.findElements(By.cssSelector("#timeline-bar .mark.keyframe")).size() >= 2);
        int total = recordedFrames();
        b.onElement(By.id("timeline-bar"), e -> e.click()); // the middle of the bar
        b.await("paused where the bar was clicked", 30, () -> b.text(By.id("timeline-label")).contains("rewound: paused at frame"));
        long at = f.onFrame(() -> f.engine.frameIndex());
        assertThat(at).as("about the middle of " + total + " frames").isBetween(total / 2L - total / 10L, total / 2L + total / 10L);
        assertThat(b.present(By.cssSelector("#timeline-bar .mark.playhead"))).isTrue();
        b.screenshot(SHOTS.resolve("timeline-rewound.png"));

        b.onElement(By.id("btn-rewind-step"), e -> e.click());
        b.await("one frame on", 20, () -> b.text(By.id("timeline-label")).contains("paused at frame " + (at + 1)));
        b.onElement(By.id("btn-rewind-replay"), e -> e.click());
        b.await("replayed to the end", 60, () -> b.text(By.id("timeline-result")).matches("at frame \\d+, paused"));
        assertThat(f.onFrame(() -> f.engine.frameIndex())).isGreaterThanOrEqualTo((long) total - 1);

        b.onElement(By.id("btn-rewind-resume"), e -> e.click());
        b.await("live again", 20, () -> !b.text(By.id("timeline-label")).contains("rewound"));
        long resumed = f.onFrame(() -> f.engine.frameIndex());
        b.await("frames run live", 20, () -> {
            try {
                return f.onFrame(() -> f.engine.frameIndex()) > resumed + 5;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(b.driver.findElement(By.id("btn-rewind-step")).isEnabled()).isFalse();
    }
}
