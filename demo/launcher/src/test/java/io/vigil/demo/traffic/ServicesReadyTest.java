package io.vigil.demo.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The standalone traffic generator's wait for the services, against real loopback servers. */
class ServicesReadyTest {

  /** Answers 503 to its first health checks, as a service still starting would, then 200. */
  private HttpServer starting;
  private final AtomicInteger checks = new AtomicInteger();
  private HttpServer ready;

  @BeforeEach
  void start() throws IOException {
    starting = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    starting.createContext("/admin/health", ex -> {
      ex.sendResponseHeaders(checks.incrementAndGet() <= 3 ? 503 : 200, -1);
      ex.close();
    });
    starting.start();
    ready = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    ready.createContext("/admin/health", ex -> {
      ex.sendResponseHeaders(200, -1);
      ex.close();
    });
    ready.start();
  }

  @AfterEach
  void stop() {
    starting.stop(0);
    ready.stop(0);
  }

  @Test
  void returnsOnceEveryServiceAnswersItsHealthCheck() throws Exception {
    ServicesReady.await(Map.of("storefront", url(starting), "payments", url(ready)),
        Duration.ofSeconds(30));
    assertThat(checks).as("asked until it answered 200, and no more").hasValue(4);
  }

  @Test
  void namesTheServiceThatIsNotHealthyInTime() throws IOException {
    // A port nothing listens on: the refused connection is "not yet", until the deadline.
    HttpServer closed = HttpServer.create(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    URI gone = url(closed);
    closed.stop(0);
    Map<String, URI> services = new LinkedHashMap<>();
    services.put("payments", url(ready));
    services.put("inventory", gone);
    long start = System.nanoTime();
    assertThatThrownBy(() -> ServicesReady.await(services, Duration.ofSeconds(2)))
        .isInstanceOf(IOException.class)
        .hasMessage("not healthy after 2s: inventory (" + gone + "/admin/health)");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).as("bounded by the timeout")
        .isLessThan(Duration.ofSeconds(10));
  }

  private static URI url(HttpServer server) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }
}
