package io.jenkins.plugins.mlstages.cli;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;

import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;

/**
 * The system Chromium driven by the system chromedriver (Debian {@code chromium} and
 * {@code chromium-driver}; CI installs them). Nothing is downloaded: the driver and the browser are
 * given by path, so Selenium Manager is never asked. Missing binaries fail the test with the fix.
 */
final class HeadlessChromium implements AutoCloseable {
    static final String CHROMIUM = System.getProperty("mlstages.chromium", "/usr/bin/chromium");
    static final String CHROMEDRIVER = System.getProperty("mlstages.chromedriver", "/usr/bin/chromedriver");

    final ChromeDriver driver;
    private final ChromeDriverService service;

    HeadlessChromium() {
        for (String binary : List.of(CHROMIUM, CHROMEDRIVER)) {
            if (!Files.isExecutable(Path.of(binary))) {
                throw new AssertionError(binary + " is missing: the report page is tested in a real headless Chromium; install it with"
                        + " 'apt-get install chromium chromium-driver' (or set -Dmlstages.chromium / -Dmlstages.chromedriver)");
            }
        }
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER);
        service = new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--hide-scrollbars",
                "--window-size=1280,900", "--force-device-scale-factor=1");
        options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
        driver = new ChromeDriver(service, options);
    }

    void open(Path page) {
        driver.get(page.toUri().toString());
    }

    /** Waits until every report element on the page is rendered. */
    void awaitRendered(int reports) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            if (driver.findElements(By.cssSelector(".ml-stages-report[data-rendered='true']")).size() == reports) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the report did not render within 20 s; console: " + console());
    }

    Object script(String js, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(js, args);
    }

    WebElement one(String css) {
        List<WebElement> found = driver.findElements(By.cssSelector(css));
        if (found.size() != 1) {
            throw new AssertionError("expected one element '" + css + "', found " + found.size());
        }
        return found.get(0);
    }

    List<WebElement> all(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    /** The text a node holds, also inside closed {@code <details>} (getText() only gives visible text). */
    static String text(WebElement element) {
        return element.getDomProperty("textContent");
    }

    /** The browser console since the last call. */
    List<String> console() {
        List<String> lines = new ArrayList<>();
        for (LogEntry entry : driver.manage().logs().get(LogType.BROWSER)) {
            lines.add(entry.getLevel() + " " + entry.getMessage());
        }
        return lines;
    }

    /** Console lines at SEVERE (errors, CSP violations, failed loads) since the last call. */
    List<String> severe() {
        List<String> lines = new ArrayList<>();
        for (LogEntry entry : driver.manage().logs().get(LogType.BROWSER)) {
            if (entry.getLevel().intValue() >= Level.SEVERE.intValue()) {
                lines.add(entry.getMessage());
            }
        }
        return lines;
    }

    /** A PNG of the whole page at 1280 px wide. */
    byte[] fullPage() {
        long height = ((Number) script("return Math.ceil(document.documentElement.scrollHeight);")).longValue();
        driver.manage().window().setSize(new Dimension(1280, (int) Math.min(height + 16, 16000)));
        return driver.getScreenshotAs(OutputType.BYTES);
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            service.stop();
        }
    }
}
