package dev.kiln.inspector;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.openqa.selenium.By;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Real headless Chromium driven by the system chromedriver (./kiln test installs both). The
 * page re-renders up to 10 times a second, so every lookup retries on a stale element.
 */
final class Browser implements AutoCloseable {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    final ChromeDriver driver;

    Browser(Path profile) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1600,1000", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        this.driver = new ChromeDriver(service, options);
    }

    static boolean available() {
        return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    }

    /** Waits up to {@code seconds} for {@code condition} (stale elements count as "not yet"). */
    void await(String what, int seconds, Supplier<Boolean> condition) {
        new WebDriverWait(driver, Duration.ofSeconds(seconds), Duration.ofMillis(50)).withMessage(what).until(d -> {
            try {
                return condition.get();
            } catch (StaleElementReferenceException | NoSuchElementException e) {
                return false; // re-rendered or not there yet: look again
            }
        });
    }

    /** Runs an action on a freshly found element, again if a re-render made it stale. */
    void onElement(By by, Consumer<WebElement> action) {
        await("element " + by, 20, () -> {
            action.accept(driver.findElement(by));
            return true;
        });
    }

    String text(By by) {
        String[] out = new String[1];
        onElement(by, e -> out[0] = e.getText());
        return out[0];
    }

    boolean present(By by) {
        return !driver.findElements(by).isEmpty();
    }

    void screenshot(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
    }

    @Override
    public void close() {
        driver.quit();
    }
}
