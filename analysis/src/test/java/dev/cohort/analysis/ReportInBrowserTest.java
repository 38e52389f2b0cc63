package dev.cohort.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report rendered by a real browser: headless Chromium (Debian package {@code chromium}) opens
 * it 1280 px wide; the page must log no console error, fail no request and make no request at all
 * beyond itself; the full-page screenshot is kept as {@code target/report-screenshot/report.png}
 * for a person to look at
 * (and its first 2,000 px as {@code report-top.png}, which {@code docs/report.png} is a copy of). Skipped, saying why, where Chromium is not installed.
 */
class ReportInBrowserTest {
  private static final int WIDTH = 1280;
  private static final Path OUTPUT = Path.of("target", "report-screenshot");

  @TempDir
  Path profile;

  private static Path chromium() {
    Optional<Path> found = HeadlessChromium.find();
    assumeTrue(found.isPresent(), "Chromium is not installed (apt-get install chromium): the report is not"
        + " rendered in a browser here");
    return found.get();
  }

  @Test
  void reportRendersWithoutConsoleErrorsOrRequests() throws Exception {
    Path chromium = chromium();
    Files.createDirectories(OUTPUT);
    Path page = OUTPUT.resolve("report.html").toAbsolutePath();
    Files.writeString(page, ReportTest.report("browser", false), StandardCharsets.UTF_8);
    Path hostile = OUTPUT.resolve("hostile-report.html").toAbsolutePath();
    Files.writeString(hostile, ReportTest.report("hostile", true), StandardCharsets.UTF_8);
    Path models = OUTPUT.resolve("models-report.html").toAbsolutePath();
    Files.writeString(models, ReportTest.modelsReport("models", false), StandardCharsets.UTF_8);
    Path hostileModels = OUTPUT.resolve("hostile-models-report.html").toAbsolutePath();
    Files.writeString(hostileModels, ReportTest.modelsReport("hostile-models", true), StandardCharsets.UTF_8);

    try (HeadlessChromium browser = HeadlessChromium.start(chromium, profile.resolve("one"))) {
      HeadlessChromium.PageLoad load = browser.load(page.toUri(), WIDTH);
      Files.write(OUTPUT.resolve("report.png"), load.screenshot());
      Files.write(OUTPUT.resolve("report-top.png"), load.top());
      assertThat(load.consoleErrors()).isEmpty();
      assertThat(load.failedRequests()).isEmpty();
      assertThat(load.otherRequests()).isEmpty();
      assertPng(load.screenshot());
    }
    try (HeadlessChromium browser = HeadlessChromium.start(chromium, profile.resolve("two"))) {
      HeadlessChromium.PageLoad load = browser.load(hostile.toUri(), WIDTH);
      Files.write(OUTPUT.resolve("hostile-report.png"), load.screenshot());
      // Had any of the names' <script>, <img onerror> or javascript: links become markup, they would
      // run or load something here.
      assertThat(load.consoleErrors()).isEmpty();
      assertThat(load.failedRequests()).isEmpty();
      assertThat(load.otherRequests()).isEmpty();
    }
    // A batch on several models adds the Models section (and its model names, hostile in the second).
    for (Path file : List.of(models, hostileModels)) {
      try (HeadlessChromium browser = HeadlessChromium.start(chromium, profile.resolve(file.getFileName().toString()))) {
        HeadlessChromium.PageLoad load = browser.load(file.toUri(), WIDTH);
        Files.write(OUTPUT.resolve(file.getFileName().toString().replace(".html", ".png")), load.screenshot());
        assertThat(load.consoleErrors()).isEmpty();
        assertThat(load.failedRequests()).isEmpty();
        assertThat(load.otherRequests()).isEmpty();
        assertPng(load.screenshot());
      }
    }
  }

  @Test
  void theBrowserCheckSeesConsoleErrorsAndFailedRequests() throws Exception {
    Path chromium = chromium();
    Path page = profile.resolve("broken.html");
    // Port 9 on loopback: nothing listens there, so the request fails without leaving the machine.
    Files.writeString(page, "<!DOCTYPE html><title>broken</title><img src=\"http://127.0.0.1:9/x.png\">"
        + "<script>console.error('deliberate'); undefinedFunction();</script>", StandardCharsets.UTF_8);
    try (HeadlessChromium browser = HeadlessChromium.start(chromium, profile.resolve("three"))) {
      HeadlessChromium.PageLoad load = browser.load(page.toUri(), WIDTH);
      assertThat(load.consoleErrors()).hasSizeGreaterThanOrEqualTo(2);
      assertThat(load.failedRequests()).isNotEmpty();
      assertThat(load.otherRequests()).contains("http://127.0.0.1:9/x.png");
    }
  }

  private static void assertPng(byte[] png) {
    assertThat(png.length).isGreaterThan(10_000);
    assertThat(new String(png, 1, 3, StandardCharsets.US_ASCII)).isEqualTo("PNG");
    // IHDR: width then height, big-endian, from byte 16.
    int width = ((png[16] & 0xff) << 24) | ((png[17] & 0xff) << 16) | ((png[18] & 0xff) << 8) | (png[19] & 0xff);
    assertThat(width).isEqualTo(WIDTH);
  }
}
