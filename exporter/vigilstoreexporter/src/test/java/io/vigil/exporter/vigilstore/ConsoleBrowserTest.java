package io.vigil.exporter.vigilstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console in headless Chromium (Debian's chromium and chromium-driver) on a real pipeline
 * fed by the OpenTelemetry SDK: the drill-downs an operator makes, each asserted on what the
 * page shows, with a screenshot of each view in target/console-screenshots/.
 */
class ConsoleBrowserTest {

  private static final Path SHOTS = Path.of("target", "console-screenshots");

  @TempDir
  static Path directory;
  private static ShopPipeline shop;
  private static ChromeDriver browser;
  private static WebDriverWait wait;
  private static String console;

  @BeforeAll
  static void start() throws Exception {
    shop = new ShopPipeline(directory.resolve("store"));
    console = "http://" + shop.console;
    shop.sendTraffic();
    await().atMost(Duration.ofSeconds(30)).until(() -> requestsStored() == 3 * ShopPipeline.REQUESTS);
    ChromeOptions options = new ChromeOptions();
    options.setBinary("/usr/bin/chromium");
    options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--no-first-run", "--user-data-dir=" + directory.resolve("chromium-profile"));
    // The driver from the distribution, so Selenium Manager downloads nothing.
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(new File("/usr/bin/chromedriver")).usingAnyFreePort().build();
    browser = new ChromeDriver(service, options);
    browser.manage().window().setSize(new Dimension(1280, 900));
    wait = new WebDriverWait(browser, Duration.ofSeconds(20));
    Files.createDirectories(SHOTS);
  }

  /** Entry spans of the three services, as the API counts them. */
  private static long requestsStored() throws IOException, InterruptedException {
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create(console + "/api/services")).build(), HttpResponse.BodyHandlers.ofString());
    long n = 0;
    for (JsonNode s : LuceneDocuments.JSON.readTree(r.body())) {
      n += s.get("requests").asLong();
    }
    return n;
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.quit();
    }
    if (shop != null) {
      shop.close();
    }
  }

  private static void open(String hash) {
    browser.get(console + "/" + hash);
  }

  private static void screenshot(String name) throws IOException {
    Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), SHOTS.resolve(name),
        StandardCopyOption.REPLACE_EXISTING);
  }

  private static String hash() {
    return (String) ((JavascriptExecutor) browser).executeScript("return location.hash");
  }

  @Test
  void overviewLeadsToAServiceWhoseSlowPointLeadsToItsTrace() throws IOException {
    open("#/");
    List<WebElement> rows = wait.until(ExpectedConditions.numberOfElementsToBe(
        By.cssSelector("#services tbody tr"), 3));
    assertThat(rows).extracting(r -> r.getAttribute("data-service"))
        .containsExactly("orders", "payments", "storefront");
    WebElement payments = browser.findElement(By.cssSelector("tr[data-service=payments]"));
    assertThat(payments.getText()).contains("10.0 %"); // 6 of 60 requests failed
    screenshot("overview.png");

    browser.findElement(By.linkText("storefront")).click();
    wait.until(d -> hash().equals("#/service/storefront"));
    wait.until(d -> ((JavascriptExecutor) d).executeScript("return !!window.vigilCharts.latency"));
    screenshot("service.png");

    // The bucket with the highest p99 holds the 900 ms request; click its point.
    @SuppressWarnings("unchecked")
    Map<String, Object> point = (Map<String, Object>) ((JavascriptExecutor) browser).executeScript(
        "const u = window.vigilCharts.latency, p99 = u.data[3];"
            + "let i = 0; p99.forEach((v, j) => { if (v != null && v > (p99[i] ?? -1)) i = j; });"
            + "const r = u.over.getBoundingClientRect();"
            + "return {x: u.valToPos(u.data[0][i], 'x') - r.width / 2,"
            + " y: u.valToPos(p99[i], 'y') - r.height / 2, trace: u.exemplars[i], ms: p99[i]};");
    assertThat(((Number) point.get("ms")).doubleValue()).isEqualTo(900.0);
    WebElement over = browser.findElement(By.cssSelector("#chart-latency .u-over"));
    new Actions(browser).moveToElement(over, ((Number) point.get("x")).intValue(),
        ((Number) point.get("y")).intValue()).click().perform();
    wait.until(d -> hash().equals("#/trace/" + point.get("trace")));

    List<WebElement> spans = wait.until(ExpectedConditions.numberOfElementsToBe(
        By.cssSelector("#waterfall .span-row"), 4));
    assertThat(spans.get(0).getText()).contains("storefront GET /checkout").contains("900");
    assertThat(spans).extracting(WebElement::getText).anySatisfy(t ->
        assertThat(t).contains("payments POST /payments"));
    // The trace's logs are on the same page, from all three services.
    assertThat(browser.findElement(By.id("trace-logs")).getText())
        .contains("Order " + (5000 + ShopPipeline.SLOW) + " placed")
        .contains("Charging card for order " + (5000 + ShopPipeline.SLOW))
        .contains("answered 200 in 900 ms");
    spans.get(3).click();
    assertThat(browser.findElement(By.id("attrs-3")).getText()).contains("\"kind\": \"server\"");
    screenshot("trace.png");
  }

  @Test
  void aLogLineLeadsToItsTraceWithTheFailedSpan() throws IOException {
    open("#/logs?q=declined");
    List<WebElement> lines = wait.until(ExpectedConditions.numberOfElementsToBe(
        By.cssSelector("#logs tr.log-line"), 6));
    assertThat(lines).allSatisfy(l -> assertThat(l.getText()).contains("Payment declined"));
    // newest first: the last failing request (57) on top
    assertThat(lines.get(0).getText()).contains("order 5057");
    screenshot("logs.png");
    lines.get(0).findElement(By.className("trace-link")).click();
    wait.until(d -> hash().startsWith("#/trace/"));
    wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#waterfall .span-row"), 4));
    assertThat(browser.findElements(By.cssSelector("#waterfall .bar.failed"))).hasSize(1);
    assertThat(browser.findElement(By.id("trace-logs")).getText())
        .contains("Payment declined for order 5057");
  }

  @Test
  void aPatternLeadsToItsLines() throws IOException {
    open("#/patterns");
    wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#patterns tbody tr")));
    WebElement declined = browser.findElements(By.cssSelector("#patterns tbody tr")).stream()
        .filter(r -> r.getText().contains("Payment declined")).findFirst().orElseThrow();
    assertThat(declined.findElement(By.cssSelector("td.num")).getText()).isEqualTo("6");
    assertThat(declined.findElements(By.cssSelector("svg.spark polyline"))).hasSize(1);
    screenshot("patterns.png");
    String template = declined.getAttribute("data-template");
    declined.findElement(By.className("template-link")).click();
    wait.until(d -> hash().equals("#/logs?template_id=" + template));
    List<WebElement> lines = wait.until(ExpectedConditions.numberOfElementsToBe(
        By.cssSelector("#logs tr.log-line"), 6));
    assertThat(lines).allSatisfy(l -> assertThat(l.getText()).contains("Payment declined"));
  }
}
