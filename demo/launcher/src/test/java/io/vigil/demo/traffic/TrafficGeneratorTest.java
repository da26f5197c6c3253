package io.vigil.demo.traffic;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generator against a stand-in storefront and payments admin on loopback. */
class TrafficGeneratorTest {

  private HttpServer server;
  private final AtomicInteger apiRequests = new AtomicInteger();
  private final List<String> adminCalls = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newFixedThreadPool(4));
    server.createContext("/api/", ex -> {
      apiRequests.incrementAndGet();
      ex.sendResponseHeaders(200, -1);
      ex.close();
    });
    server.createContext("/admin/faults/", ex -> {
      String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      adminCalls.add(ex.getRequestMethod() + " " + ex.getRequestURI().getPath() + " " + body);
      if (ex.getRequestMethod().equals("POST")) {
        byte[] answer = ("{\"since\":\"" + Instant.now() + "\"}").getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(200, answer.length);
        ex.getResponseBody().write(answer);
      } else {
        ex.sendResponseHeaders(204, -1);
      }
      ex.close();
    });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void sendsAtTheScenarioRateAndLabelsEachFaultWithItsActualWindow(@TempDir Path dir)
      throws Exception {
    Scenario s = ScenarioLoader.parse(String.join("\n",
        "name: t",
        "duration: 3s",
        "traffic: {rate: 20}",
        "faults: [{service: payments, kind: error_rate, at: 1s, duration: 1s, params: {rate: 0.5}}]"));
    URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    Path labels = dir.resolve("faults.jsonl");
    Instant before = Instant.now();
    TrafficStats stats;
    try (GroundTruthLog truth = new GroundTruthLog(labels)) {
      stats = new TrafficGenerator(s, Map.of("storefront", base, "payments", base), truth).run();
    }
    Instant after = Instant.now();

    // 20/s for 3s: never more than the schedule allows, and not starved.
    assertThat(stats.sent()).isBetween(30L, 61L);
    assertThat(apiRequests.get()).isEqualTo((int) stats.sent());
    assertThat(stats.ok()).isEqualTo(stats.sent());
    assertThat(adminCalls).hasSize(2);
    assertThat(adminCalls.get(0)).startsWith("POST /admin/faults/error_rate").contains("\"rate\":0.5");
    assertThat(adminCalls.get(1)).isEqualTo("DELETE /admin/faults/error_rate ");

    List<String> lines = Files.readAllLines(labels);
    assertThat(lines).hasSize(1);
    JsonNode label = new ObjectMapper().readTree(lines.get(0));
    assertThat(label.get("service").asText()).isEqualTo("payments");
    assertThat(label.get("kind").asText()).isEqualTo("error_rate");
    assertThat(label.get("params").get("rate").asDouble()).isEqualTo(0.5);
    Instant start = Instant.parse(label.get("start").asText());
    Instant end = Instant.parse(label.get("end").asText());
    assertThat(start).isAfter(before);
    assertThat(end).isAfter(start).isBefore(after);
    assertThat(label.has("failing_from")).as("fails from its start").isFalse();
  }

  @Test
  void aFaultWithAPrecursorIsLabelledWithWhenItsServiceBeganToFail(@TempDir Path dir)
      throws Exception {
    Scenario s = ScenarioLoader.parse(String.join("\n",
        "name: t",
        "duration: 3s",
        "traffic: {rate: 5}",
        "faults: [{service: payments, kind: heap_exhaustion, at: 0s, duration: 2s,"
            + " params: {ramp_s: 1.5}}]"));
    URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    Path labels = dir.resolve("faults.jsonl");
    try (GroundTruthLog truth = new GroundTruthLog(labels)) {
      new TrafficGenerator(s, Map.of("storefront", base, "payments", base), truth).run();
    }
    JsonNode label = new ObjectMapper().readTree(Files.readAllLines(labels).get(0));
    Instant start = Instant.parse(label.get("start").asText());
    assertThat(Instant.parse(label.get("failing_from").asText()))
        .isEqualTo(start.plusMillis(1500));
  }

  @Test
  void stopEndsEarlyAndStillLabelsTheFaultThatWasOn(@TempDir Path dir) throws Exception {
    Scenario s = ScenarioLoader.parse(String.join("\n",
        "name: t",
        "duration: 10m",
        "traffic: {rate: 5}",
        "faults: [{service: payments, kind: latency, at: 0s, duration: 9m}]"));
    URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    Path labels = dir.resolve("faults.jsonl");
    try (GroundTruthLog truth = new GroundTruthLog(labels)) {
      TrafficGenerator g = new TrafficGenerator(s, Map.of("storefront", base, "payments", base), truth);
      Thread runner = new Thread(() -> {
        try {
          g.run();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      runner.start();
      org.awaitility.Awaitility.await().until(() -> adminCalls.size() == 1);
      g.stop();
      runner.join(30_000);
      assertThat(runner.isAlive()).isFalse();
    }
    assertThat(adminCalls).last().asString().startsWith("DELETE /admin/faults/latency");
    assertThat(Files.readAllLines(labels)).singleElement().asString().contains("\"kind\":\"latency\"");
  }

  @Test
  void oneSeedGivesOneRequestSequenceAndAnotherSeedAnother(@TempDir Path dir) throws Exception {
    Scenario s = ScenarioLoader.parse(String.join("\n",
        "name: t",
        "duration: 1m",
        "traffic: {rate: 5, mix: {checkout: 0.5, browse: 0.5}}"));
    assertThat(s.seed()).isEqualTo(Scenario.DEFAULT_SEED);
    assertThat(requests(s, dir)).isEqualTo(requests(s, dir));
    assertThat(requests(s.withSeed(2), dir)).isNotEqualTo(requests(s, dir));
  }

  private List<String> requests(Scenario s, Path dir) throws IOException {
    URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    try (GroundTruthLog truth = new GroundTruthLog(dir.resolve("unused.jsonl"))) {
      TrafficGenerator g = new TrafficGenerator(s, Map.of("storefront", base), truth);
      return java.util.stream.IntStream.range(0, 50)
          .mapToObj(i -> g.nextRequest())
          .map(r -> r.method() + " " + r.uri())
          .toList();
    }
  }
}
