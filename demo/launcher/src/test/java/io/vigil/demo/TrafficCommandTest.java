package io.vigil.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code vigil-demo traffic} as the Kubernetes demo's Job runs it (deploy/kubernetes/base/demo):
 * services given by URL, waiting for their health checks first, labels to a file of its choice.
 */
class TrafficCommandTest {

  @TempDir Path dir;
  private HttpServer shop;
  private final AtomicInteger apiRequests = new AtomicInteger();
  private final StringWriter err = new StringWriter();

  @BeforeEach
  void start() throws IOException {
    shop = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    shop.createContext("/admin/health", ex -> {
      ex.sendResponseHeaders(200, -1);
      ex.close();
    });
    shop.createContext("/api/", ex -> {
      apiRequests.incrementAndGet();
      ex.sendResponseHeaders(200, -1);
      ex.close();
    });
    shop.start();
  }

  @AfterEach
  void stop() {
    shop.stop(0);
  }

  @Test
  void waitsForTheServicesThenPlaysTheScenario() throws IOException {
    String url = "http://127.0.0.1:" + shop.getAddress().getPort();
    int exit = run("traffic", "--scenario", scenario().toString(), "--wait-for-services", "30s",
        "--labels", dir.resolve("faults.jsonl").toString(),
        "--service", "storefront=" + url, "--service", "orders=" + url,
        "--service", "inventory=" + url, "--service", "payments=" + url);
    assertThat(exit).as(err.toString()).isZero();
    assertThat(apiRequests).as("requests to the storefront").hasPositiveValue();
  }

  @Test
  void failsNamingTheServiceThatNeverBecameHealthy() throws IOException {
    String url = "http://127.0.0.1:" + shop.getAddress().getPort();
    HttpServer gone = HttpServer.create(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    String goneUrl = "http://127.0.0.1:" + gone.getAddress().getPort();
    gone.stop(0);
    int exit = run("traffic", "--scenario", scenario().toString(), "--wait-for-services", "1s",
        "--labels", dir.resolve("faults.jsonl").toString(),
        "--service", "storefront=" + url, "--service", "orders=" + url,
        "--service", "inventory=" + url, "--service", "payments=" + goneUrl);
    assertThat(exit).isEqualTo(1);
    assertThat(err.toString()).contains("not healthy after 1s: payments (" + goneUrl);
    assertThat(apiRequests).as("no traffic before the services are up").hasValue(0);
  }

  @Test
  void aWaitThatIsNotADurationIsAUsageError() {
    assertThat(run("traffic", "--wait-for-services", "five minutes")).isEqualTo(2);
    assertThat(err.toString()).contains("is not a duration");
  }

  private int run(String... args) {
    CommandLine cl = VigilDemo.commandLine();
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }

  private Path scenario() throws IOException {
    return Files.writeString(dir.resolve("short.yaml"), """
        name: short
        duration: 1s
        traffic:
          shape: steady
          rate: 20
        """);
  }
}
