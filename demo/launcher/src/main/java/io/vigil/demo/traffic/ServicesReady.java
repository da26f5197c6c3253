package io.vigil.demo.traffic;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits until every demo service answers its health check ({@code GET /admin/health}, 200).
 * The standalone traffic generator needs it where it starts with the services (a Kubernetes
 * Job next to their Deployments): a Spring Boot service under the agent takes a minute or more
 * to start, and a scenario's first fault switch would otherwise fail against a service not yet
 * listening.
 */
public final class ServicesReady {

  private static final Logger log = LoggerFactory.getLogger(ServicesReady.class);
  private static final Duration POLL = Duration.ofMillis(500);

  private ServicesReady() {}

  /**
   * Returns once every service is healthy.
   *
   * @throws IOException naming the services still not healthy when {@code timeout} has passed
   */
  public static void await(Map<String, URI> services, Duration timeout)
      throws IOException, InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    long deadline = System.nanoTime() + timeout.toNanos();
    List<String> waiting = new ArrayList<>(services.keySet());
    while (true) {
      waiting.removeIf(name -> healthy(http, services.get(name).resolve("/admin/health")));
      if (waiting.isEmpty()) {
        log.info("Services healthy: {}", String.join(", ", services.keySet()));
        return;
      }
      if (System.nanoTime() >= deadline) {
        throw new IOException("not healthy after " + timeout.toSeconds() + "s: "
            + String.join(", ", waiting.stream().map(n -> n + " (" + services.get(n)
                + "/admin/health)").toList()));
      }
      TimeUnit.NANOSECONDS.sleep(Math.min(POLL.toNanos(), Math.max(1,
          deadline - System.nanoTime())));
    }
  }

  private static boolean healthy(HttpClient http, URI health) {
    try {
      return http.send(HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(2)).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException notYet) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
