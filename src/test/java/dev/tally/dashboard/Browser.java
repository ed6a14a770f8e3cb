package dev.tally.dashboard;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The system's headless Chromium, driven through its own chromedriver. Nothing is downloaded at test
 * time: without the Debian packages the test fails and says how to install them, it never skips.
 */
final class Browser implements AutoCloseable {
    static final Dimension LAPTOP = new Dimension(1280, 800);
    static final Dimension PHONE = new Dimension(390, 844);
    private static final String CHROMIUM = "/usr/bin/chromium";
    private static final String CHROMEDRIVER = "/usr/bin/chromedriver";
    private static final String INSTALL_HINT = "the dashboard's browser test needs Debian's Chromium: "
            + "apt-get update && apt-get install -y chromium chromium-driver";

    private final ChromeDriver driver;
    private final Path profile;

    private Browser(ChromeDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
    }

    static Browser start() {
        for (String program : List.of(CHROMIUM, CHROMEDRIVER)) {
            if (!new File(program).canExecute()) {
                throw new AssertionError(program + " is missing: " + INSTALL_HINT);
            }
        }
        Path profile;
        try {
            profile = Files.createTempDirectory("tally-chromium-");
        } catch (IOException failure) {
            throw new UncheckedIOException(failure);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--lang=en-US", "--hide-scrollbars", "--user-data-dir=" + profile,
                "--window-size=" + LAPTOP.width + "," + LAPTOP.height);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(10));
        return new Browser(driver, profile);
    }

    void open(String url) {
        driver.get(url);
    }

    /** Makes the page area exactly this size (headless windows have no browser chrome around the page). */
    void resize(Dimension viewport) {
        driver.executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of(
                "width", viewport.width, "height", viewport.height, "deviceScaleFactor", 1,
                "mobile", viewport.width < 600));
    }

    WebElement find(String css) {
        return waitFor(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(css)));
    }

    List<WebElement> all(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    <T> T waitFor(org.openqa.selenium.support.ui.ExpectedCondition<T> condition) {
        return new WebDriverWait(driver, Duration.ofSeconds(15)).until(condition);
    }

    void waitForText(String css, String text) {
        waitFor(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(css), text));
    }

    Object script(String script, Object... arguments) {
        return ((JavascriptExecutor) driver).executeScript(script, arguments);
    }

    /** The Content-Security-Policy violations the page has reported so far, as "directive blocked-url". */
    @SuppressWarnings("unchecked")
    List<String> cspViolations() {
        return (List<String>) script("const observer = new ReportingObserver(() => {},"
                + " {types: ['csp-violation'], buffered: true}); observer.observe();"
                + " const reports = observer.takeRecords(); observer.disconnect();"
                + " return reports.map((report) => report.body.effectiveDirective + ' ' + report.body.blockedURL);");
    }

    String currentUrl() {
        return driver.getCurrentUrl();
    }

    /**
     * The page at phone and laptop size, as {@code <name>-phone.png} and {@code <name>-laptop.png}; the page
     * is redrawn at each size, as a person resizing the window would see it.
     */
    void screenshotsAtBothSizes(Path directory, String name, boolean fullPage) {
        for (Dimension size : List.of(PHONE, LAPTOP)) {
            resize(size);
            script("return new Promise(resolve => requestAnimationFrame(() => setTimeout(resolve, 150)))");
            screenshot(directory.resolve(name + "-" + (size == PHONE ? "phone" : "laptop") + ".png"), fullPage);
        }
    }

    /** The whole page, not just the window, as a PNG; long phone pages are the point of looking. */
    void screenshot(Path file, boolean fullPage) {
        Number height = fullPage ? (Number) script("return Math.ceil(document.documentElement.scrollHeight)")
                : (Number) script("return window.innerHeight");
        Number width = (Number) script("return Math.ceil(document.documentElement.clientWidth)");
        Map<String, Object> shot = driver.executeCdpCommand("Page.captureScreenshot", Map.of(
                "format", "png", "captureBeyondViewport", true,
                "clip", Map.of("x", 0, "y", 0, "width", width, "height", height, "scale", 1)));
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, Base64.getDecoder().decode((String) shot.get("data")));
        } catch (IOException failure) {
            throw new UncheckedIOException(failure);
        }
    }

    @Override
    public void close() {
        driver.quit();
        try (var files = Files.walk(profile)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException ignored) {
            // A leftover temporary profile is harmless.
        }
    }
}
