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
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console in headless Chromium (Debian's chromium and chromium-driver) on a real pipeline
 * fed by the OpenTelemetry SDK: the drill-downs an operator makes, each asserted on what the
 * page shows, with a screenshot of each view in target/console-screenshots/. The test that
 * resolves the shop's incident runs last: the others read it open.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserTest {

  private static final Path SHOTS = Path.of("target", "console-screenshots");

  @TempDir
  static Path directory;
  private static ShopPipeline shop;
  private static ChromeDriver browser;
  private static WebDriverWait wait;
  private static String console;
  private static String pastIncident;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    shop = new ShopPipeline(directory);
    console = "http://" + shop.console;
    // An incident from two hours ago, resolved through the incidents API as a person would.
    shop.recordPastIncident();
    await().atMost(Duration.ofSeconds(30)).until(() -> incidents().size() == 1);
    pastIncident = incidents().get(0).get("id").asText();
    HttpResponse<String> resolved = HTTP.send(HttpRequest.newBuilder(URI.create("http://"
        + shop.incidents + "/api/incidents/" + pastIncident + "/resolve"))
        .POST(HttpRequest.BodyPublishers.ofString("{\"category\": \"dependency\", \"note\":"
            + " \"card processor failed over to its standby\", \"by\": \"alice\"}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(resolved.statusCode()).as(resolved.body()).isEqualTo(200);
    shop.sendTraffic();
    await().atMost(Duration.ofSeconds(30)).until(() -> requestsStored() == 3 * ShopPipeline.REQUESTS);
    shop.sendMetrics();
    await().atMost(Duration.ofSeconds(30))
        .until(() -> storefrontMetricPoints() == 2L * ShopPipeline.METRIC_STEPS);
    // logtemplate's new_template anomaly on the first declined payment opens the second one.
    await().atMost(Duration.ofSeconds(30)).until(() -> incidents().size() == 2);
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

  /** The incidents the console's API lists (read from the incidents exporter's API). */
  private static List<JsonNode> incidents() throws IOException, InterruptedException {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(
        URI.create(console + "/api/incidents")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    List<JsonNode> out = new java.util.ArrayList<>();
    LuceneDocuments.JSON.readTree(r.body()).get("incidents").forEach(out::add);
    return out;
  }

  /** One incident as the incidents exporter's own API has it (its store, not the console). */
  private static JsonNode incidentInStore(String id) throws IOException, InterruptedException {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://"
        + shop.incidents + "/api/incidents/" + id)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return LuceneDocuments.JSON.readTree(r.body());
  }

  /** The shop's incident (not the past one). */
  private static String shopIncident() throws IOException, InterruptedException {
    return incidents().stream().map(i -> i.get("id").asText())
        .filter(id -> !id.equals(pastIncident)).findFirst().orElseThrow();
  }

  /** Points of storefront's jvm.memory.used once its scores are stored too. */
  private static long storefrontMetricPoints() throws IOException, InterruptedException {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(
        URI.create(console + "/api/services/storefront/metrics")).build(),
        HttpResponse.BodyHandlers.ofString());
    for (JsonNode m : LuceneDocuments.JSON.readTree(r.body())) {
      if (m.get("name").asText().equals("jvm.memory.used") && m.get("scored").asBoolean()) {
        return m.get("points").asLong();
      }
    }
    return 0;
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
  void anIncidentShowsItsEvidenceTimelineAndWhatWasDoneLastTime() throws IOException {
    open("#/incidents");
    List<WebElement> rows = wait.until(ExpectedConditions.numberOfElementsToBe(
        By.cssSelector("#incidents tbody tr"), 2));
    // Latest updated first: the shop's incident, then the resolved one from two hours ago.
    assertThat(rows.get(0).getText()).contains("open").contains("payments");
    assertThat(rows.get(1).getAttribute("data-incident")).isEqualTo(pastIncident);
    assertThat(rows.get(1).getText()).contains("resolved").contains("payments");
    screenshot("incidents.png");

    String id = rows.get(0).getAttribute("data-incident");
    // The response rule audits its dry run as the incident opens; wait for it in the store.
    await().atMost(Duration.ofSeconds(20)).until(() -> incidentInStore(id).get("timeline")
        .findValuesAsText("action").contains("response"));
    rows.get(0).findElement(By.linkText(id)).click();
    wait.until(d -> hash().equals("#/incident/" + id));
    List<WebElement> evidence = wait.until(ExpectedConditions.presenceOfAllElementsLocatedBy(
        By.cssSelector("#incident-evidence tr.evidence")));
    assertThat(evidence).extracting(WebElement::getText).anySatisfy(t ->
        assertThat(t).contains("new_template").contains("payments").contains("declined"));
    // Whichever service's anomaly came first, the spans say payments' failure is the one the
    // others passed on.
    assertThat(browser.findElement(By.id("incident-summary")).getText())
        .contains("open").contains("origin payments (trace_errors)");
    assertThat(browser.findElement(By.id("incident-timeline")).getText()).contains("opened")
        .doesNotContain("page-payments");
    // The response rule's dry run, apart from the state changes.
    assertThat(browser.findElement(By.id("incident-responses")).getText())
        .contains("vigil").contains("dry-run").contains("rule page-payments")
        .contains("http://127.0.0.1:9/hooks/page");
    // The recommender's answer: the past incident and how it was resolved.
    assertThat(browser.findElement(By.id("incident-similar")).getText()).contains(pastIncident)
        .contains("dependency").contains("card processor failed over to its standby");
    screenshot("incident.png");

    // The evidence's trace is in the store: the declined payment's waterfall.
    evidence.stream().filter(e -> e.getText().contains("new_template")).findFirst().orElseThrow()
        .findElement(By.className("trace-link")).click();
    wait.until(d -> hash().startsWith("#/trace/"));
    wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#waterfall .span-row"), 4));
    assertThat(browser.findElements(By.cssSelector("#waterfall .bar.failed"))).hasSize(1);

    // The service's charts mark the incident of the range (not the one from two hours ago).
    open("#/service/payments");
    wait.until(d -> ((JavascriptExecutor) d).executeScript("return !!window.vigilCharts.latency"));
    assertThat(browser.findElement(By.id("service-incidents")).getText()).contains(id)
        .doesNotContain(pastIncident);
    assertThat(((JavascriptExecutor) browser).executeScript(
        "return window.vigilCharts.latency.incidents")).asList().containsExactly(id);
    screenshot("service-incident.png");

    // The resolved one: its timeline says who resolved it and why.
    open("#/incident/" + pastIncident);
    wait.until(ExpectedConditions.presenceOfElementLocated(By.id("incident-timeline")));
    assertThat(browser.findElement(By.id("incident-timeline")).getText()).contains("alice")
        .contains("resolved").contains("card processor failed over to its standby");
    assertThat(browser.findElement(By.id("incident-cause")).getText())
        .contains("resolved as dependency");
    assertThat(browser.findElement(By.id("incident-responses-none")).getText())
        .contains("No automated response");
  }

  @Test
  void theChatPanelAnswersAboutAnOpenIncidentAndItsLinkOpensIt() throws Exception {
    String id = shopIncident();
    open("#/");
    wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#services tbody tr")));
    browser.findElement(By.id("chat-toggle")).click();
    WebElement input = wait.until(ExpectedConditions.visibilityOfElementLocated(
        By.id("chat-input")));
    input.sendKeys("what's broken in payments?", Keys.ENTER);
    By link = By.cssSelector("#chat-log .chat-msg.vigil a.chat-link[href='#/incident/" + id
        + "']");
    WebElement answer = wait.until(ExpectedConditions.presenceOfElementLocated(link))
        .findElement(By.xpath("ancestor::div[contains(@class, 'chat-msg')]"));
    // Read as a look-up of payments' active incidents: the shop's, open, not the resolved one.
    assertThat(answer.getText()).contains("read as").contains(id).contains("open")
        .doesNotContain(pastIncident);
    assertThat(answer.findElements(By.cssSelector("a.chat-link[href='#/service/payments']")))
        .isNotEmpty();
    screenshot("chat.png");

    browser.findElement(link).click();
    wait.until(d -> hash().equals("#/incident/" + id));
    wait.until(ExpectedConditions.presenceOfElementLocated(By.id("incident-summary")));
    assertThat(browser.findElement(By.id("chat-panel")).isDisplayed())
        .as("the panel stays beside the incident").isTrue();

    // Free text that asks for a change is only offered back as the command: nothing changes.
    int before = browser.findElements(By.cssSelector("#chat-log .chat-msg.vigil")).size();
    browser.findElement(By.id("chat-input")).sendKeys("ack the payments one", Keys.ENTER);
    wait.until(d -> d.findElements(By.cssSelector("#chat-log .chat-msg.vigil")).size() > before);
    List<WebElement> answers = browser.findElements(By.cssSelector("#chat-log .chat-msg.vigil"));
    assertThat(answers.get(answers.size() - 1).getText()).contains("nothing changed");
    assertThat(incidentInStore(id).get("state").asText()).isEqualTo("open");

    // The same conversation as a page of its own.
    open("#/chat");
    wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#view #chat-log")));
    assertThat(browser.findElement(By.cssSelector("#view #chat-log")).getText())
        .contains("what's broken in payments?").contains(id);
  }

  /** Last: it resolves the shop's incident, which the other tests read open. */
  @Test
  @Order(Integer.MAX_VALUE)
  void acknowledgingThenResolvingFromTheIncidentPageChangesTheIncident() throws Exception {
    String id = shopIncident();
    open("#/incident/" + id);
    WebElement who = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("who")));
    who.clear();
    who.sendKeys("carol", Keys.TAB);
    wait.until(ExpectedConditions.elementToBeClickable(By.id("ack-button")));
    browser.findElement(By.cssSelector("#ack-form input[name=note]"))
        .sendKeys("looking at the card processor");
    browser.findElement(By.id("ack-button")).click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("incident-summary"),
        "acknowledged"));
    JsonNode acknowledged = incidentInStore(id);
    assertThat(acknowledged.get("state").asText()).isEqualTo("acknowledged");
    JsonNode last = acknowledged.get("timeline").get(acknowledged.get("timeline").size() - 1);
    assertThat(last.get("actor").asText()).isEqualTo("console:carol");
    assertThat(last.get("note").asText()).isEqualTo("looking at the card processor");
    assertThat(browser.findElement(By.id("incident-timeline")).getText())
        .contains("console:carol").contains("acknowledged");
    assertThat(browser.findElements(By.id("ack-button"))).as("acknowledged once").isEmpty();
    screenshot("incident-acknowledged.png");

    // The categories the incidents API offers: the one the past incident was resolved with.
    Select category = new Select(browser.findElement(By.id("resolve-category")));
    assertThat(category.getOptions()).extracting(WebElement::getText).contains("dependency");
    category.selectByValue("dependency");
    browser.findElement(By.id("resolve-note")).sendKeys("card processor failed over again");
    browser.findElement(By.id("resolve-button")).click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("incident-summary"),
        "resolved"));
    JsonNode resolved = incidentInStore(id);
    assertThat(resolved.get("state").asText()).isEqualTo("resolved");
    assertThat(resolved.get("resolution").get("category").asText()).isEqualTo("dependency");
    assertThat(resolved.get("resolution").get("note").asText())
        .isEqualTo("card processor failed over again");
    assertThat(browser.findElement(By.id("incident-cause")).getText())
        .contains("resolved as dependency: card processor failed over again");
    assertThat(browser.findElement(By.id("incident-timeline")).getText()).contains("resolved");
    assertThat(browser.findElements(By.id("reopen-button"))).hasSize(1);
    screenshot("incident-resolved.png");
  }

  @Test
  void aServiceShowsItsMetricsWithTheirAnomalyScores() throws IOException {
    open("#/service/storefront?metric=jvm.memory.used");
    wait.until(d -> ((JavascriptExecutor) d).executeScript("return !!window.vigilCharts.scores"));
    assertThat(browser.findElement(By.cssSelector("#metric-select option:checked")).getText())
        .isEqualTo("jvm.memory.used (2 series, scored)");
    @SuppressWarnings("unchecked")
    Map<String, Object> c = (Map<String, Object>) ((JavascriptExecutor) browser).executeScript(
        "const m = window.vigilCharts.metric, s = window.vigilCharts.scores;"
            + "const top = a => a.reduce((b, v, i) => v != null && v > (a[b] ?? -1) ? i : b, 0);"
            + "return {lines: m.series.slice(1).map(x => x.label),"
            + " scoreLines: s.series.slice(1).map(x => x.label),"
            + " heapTop: top(m.data[1]), heapMax: m.data[1][top(m.data[1])],"
            + " scoreTop: top(s.data[1]), scoreMax: s.data[1][top(s.data[1])],"
            + " scoreBefore: Math.max(...s.data[1].slice(0, Math.max(1, top(m.data[1]) - 1))"
            + "   .filter(v => v != null))};");
    assertThat(c.get("lines")).asList()
        .containsExactly("{jvm.memory.type=heap}", "{jvm.memory.type=non_heap}");
    assertThat(c.get("scoreLines")).isEqualTo(c.get("lines"));
    // The heap's jump is the highest bucket mean, and its score stands out there.
    assertThat(((Number) c.get("heapMax")).doubleValue()).isGreaterThan(150e6);
    int heapTop = ((Number) c.get("heapTop")).intValue();
    // The two charts are two queries, each bucketing from its own "now": the score's bucket may
    // sit one either side of the heap's (seen in a full build on a loaded machine: one before).
    assertThat(((Number) c.get("scoreTop")).intValue()).isBetween(heapTop - 1, heapTop + 1);
    assertThat(((Number) c.get("scoreMax")).doubleValue())
        .isGreaterThan(((Number) c.get("scoreBefore")).doubleValue());
    ((JavascriptExecutor) browser).executeScript(
        "document.getElementById('metrics-section').scrollIntoView()");
    screenshot("metrics.png");
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
