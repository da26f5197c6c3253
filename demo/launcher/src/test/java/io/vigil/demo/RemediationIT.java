package io.vigil.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.core.component.ComponentRegistry;
import io.vigil.core.config.ConfigLoader;
import io.vigil.core.config.EnvSubstitution;
import io.vigil.gateway.Gateway;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The demo's remediation end to end, on the real parts: the demo gateway config with
 * {@code --remediation on} in a gateway here, the real orders, inventory and payments processes
 * under vigil-agent sending to it, and the launcher's control endpoint. A real dependency
 * outage on orders (its inventory calls refused) is detected from orders' own error logs, the
 * {@code orders-fallback-on-outage} rule calls orders' {@code /admin/fallback}, and orders
 * accept orders again; the call is audited on the incident's timeline. The restart endpoint
 * replaces a service's process with a healthy one.
 */
class RemediationIT {

  private static final HttpClient http = HttpClient.newHttpClient();
  private static final ObjectMapper json = new ObjectMapper();
  private static final Path work = Path.of("target/remediation-it");

  private static DemoPorts ports;
  private static Gateway gateway;
  private static DemoServices services;
  private static LauncherControl control;

  @BeforeAll
  static void start() throws Exception {
    DemoLayout layout = DemoLayout.find();
    Assumptions.assumeTrue(Files.exists(layout.servicesJar()) && Files.exists(layout.agentJar()),
        "the services jar and vigil-agent are not built: run mvn verify");
    ports = DemoPorts.free();
    Files.createDirectories(work);
    Path dir = Files.createTempDirectory(work, "run");
    Map<String, String> env = DemoRun.gatewayEnv(ports, dir, true);
    gateway = Gateway.start(new ConfigLoader(ComponentRegistry.load(),
        new EnvSubstitution(env::get)).load(DemoRun.demoConfigText()), Duration.ofSeconds(5));
    services = new DemoServices(layout, ports, dir);
    services.start(List.of("orders", "inventory", "payments"));
    control = new LauncherControl(ports.launcher(), services);
  }

  @AfterAll
  static void stop() throws Exception {
    if (control != null) {
      control.close();
    }
    if (services != null) {
      services.stopAll();
    }
    if (gateway != null) {
      gateway.close();
    }
  }

  @Test
  void aDependencyOutageSwitchesTheCallersFallbackOnAndOrdersSucceedAgain() throws Exception {
    // Ordinary orders first: the log templates of orders are learnt (20 s and 50 records), and
    // orders learns each item's price, which its fallback prices from.
    AtomicBoolean stop = new AtomicBoolean();
    AtomicInteger confirmed = new AtomicInteger();
    AtomicReference<Instant> firstConfirmed = new AtomicReference<>();
    Thread traffic = new Thread(() -> {
      for (int i = 0; i < 3000 && !stop.get(); i++) {
        try {
          if (order().body().contains("CONFIRMED") && confirmed.incrementAndGet() == 1) {
            firstConfirmed.set(Instant.now());
          }
          // Paces the load (10 orders/s at most), not a wait for a result.
          Thread.sleep(100);
        } catch (InterruptedException e) {
          return;
        } catch (Exception ignored) {
          // failing orders are the point once the outage is on
        }
      }
    }, "remediation-it-traffic");
    traffic.setDaemon(true);
    traffic.start();
    try {
      await("orders confirmed").atMost(Duration.ofSeconds(60)).until(
          () -> order().body().contains("CONFIRMED"));
      // The demo config's logtemplate learning ends 20 s after a service's first record and
      // after 50 records from it: wait until the orders this test sent cover both, with margin.
      await("orders' templates learnt").atMost(Duration.ofSeconds(120)).until(
          () -> confirmed.get() >= 60 && firstConfirmed.get() != null
              && Duration.between(firstConfirmed.get(), Instant.now()).toSeconds() >= 25);
      assertThat(fallback().get("on").asBoolean()).as("off before any rule acted").isFalse();

      HttpResponse<String> on = post(service("orders") + "/admin/faults/dependency_outage",
          "{\"dependency\": \"inventory\", \"duration_s\": 300}");
      assertThat(on.statusCode()).isEqualTo(200);
      assertThat(order().statusCode()).as("the outage fails orders").isEqualTo(502);

      await("the rule switched orders' fallback on").atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofSeconds(1)).until(() -> fallback().get("on").asBoolean());
      HttpResponse<String> accepted = order();
      assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(200);
      assertThat(json.readTree(accepted.body()).get("status").asText()).isEqualTo("ACCEPTED");

      String timeline = await("the action's audit entry").atMost(Duration.ofSeconds(20))
          .until(RemediationIT::ordersIncident, t -> t.contains("succeeded"));
      assertThat(timeline).contains("rule orders-fallback-on-outage: action 1 POST http://127.0.0.1:"
          + ports.services().get("orders") + "/admin/fallback succeeded: HTTP 200");
    } finally {
      stop.set(true);
      traffic.interrupt();
      traffic.join(10_000);
    }
  }

  @Test
  void theRestartEndpointReplacesTheProcessWithAHealthyOne() throws Exception {
    long before = services.process("payments").pid();
    HttpResponse<String> r = post("http://127.0.0.1:" + ports.launcher() + "/restart",
        "{\"service\": \"payments\", \"by\": \"RemediationIT\"}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode body = json.readTree(r.body());
    assertThat(body.get("old_pid").asLong()).isEqualTo(before);
    assertThat(body.get("pid").asLong()).isNotEqualTo(before)
        .isEqualTo(services.process("payments").pid());
    assertThat(ProcessHandle.of(before).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    assertThat(get(service("payments") + "/admin/health").statusCode()).isEqualTo(200);

    assertThat(post("http://127.0.0.1:" + ports.launcher() + "/restart",
        "{\"service\": \"nope\"}").statusCode()).isEqualTo(404);
    assertThat(post("http://127.0.0.1:" + ports.launcher() + "/restart", "{}").statusCode())
        .isEqualTo(400);
    assertThat(get("http://127.0.0.1:" + ports.launcher() + "/restart").statusCode())
        .isEqualTo(405);
  }

  private static String ordersIncident() throws Exception {
    JsonNode list = json.readTree(get("http://127.0.0.1:" + ports.incidents()
        + "/api/incidents?service=orders").body());
    StringBuilder all = new StringBuilder();
    for (JsonNode i : list.get("incidents")) {
      all.append(get("http://127.0.0.1:" + ports.incidents() + "/api/incidents/"
          + i.get("id").asText()).body());
    }
    return all.toString();
  }

  private static JsonNode fallback() throws Exception {
    return json.readTree(get(service("orders") + "/admin/fallback").body());
  }

  private static HttpResponse<String> order() throws Exception {
    return post(service("orders") + "/api/orders", "{\"item\": \"mug\", \"qty\": 1}");
  }

  private static String service(String name) {
    return "http://127.0.0.1:" + ports.services().get(name);
  }

  private static HttpResponse<String> get(String url) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
        .build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> post(String url, String body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(200))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
