package io.vigil.demo;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The ports the demo listens on: the standard ones (OTLP 4317/4318, admin 8888, Prometheus
 * scrape 8889, console 8686, incidents API 8687, the launcher's control endpoint 8690, services
 * 8081-8084) so the printed addresses are the familiar ones, or free ones for tests and for
 * machines where those are taken.
 */
record DemoPorts(int otlpGrpc, int otlpHttp, int admin, int prometheus, int console, int incidents,
    int launcher, Map<String, Integer> services) {

  static final String[] SERVICES = {"storefront", "orders", "inventory", "payments"};

  static DemoPorts standard() {
    Map<String, Integer> s = new LinkedHashMap<>();
    for (int i = 0; i < SERVICES.length; i++) {
      s.put(SERVICES[i], 8081 + i);
    }
    return new DemoPorts(4317, 4318, 8888, 8889, 8686, 8687, 8690, s);
  }

  static DemoPorts free() throws IOException {
    Map<String, Integer> s = new LinkedHashMap<>();
    for (String name : SERVICES) {
      s.put(name, freePort());
    }
    return new DemoPorts(freePort(), freePort(), freePort(), freePort(), freePort(), freePort(),
        freePort(), s);
  }

  /** Fails naming the first port something else already holds. */
  void checkAvailable() {
    Map<String, Integer> all = new LinkedHashMap<>();
    all.put("gateway OTLP gRPC", otlpGrpc);
    all.put("gateway OTLP HTTP", otlpHttp);
    all.put("gateway admin", admin);
    all.put("gateway Prometheus scrape endpoint", prometheus);
    all.put("gateway console", console);
    all.put("gateway incidents API", incidents);
    all.put("launcher control endpoint", launcher);
    services.forEach(all::put);
    all.forEach((what, port) -> {
      try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
        s.setReuseAddress(true);
      } catch (IOException e) {
        throw new IllegalStateException("port " + port + " for " + what + " is in use (another"
            + " demo or gateway still running?); stop it or run with --free-ports");
      }
    });
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
