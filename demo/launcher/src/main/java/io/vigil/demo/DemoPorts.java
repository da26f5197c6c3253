package io.vigil.demo;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;

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
    Set<Integer> taken = new HashSet<>();
    Map<String, Integer> s = new LinkedHashMap<>();
    for (String name : SERVICES) {
      s.put(name, freePort(taken));
    }
    return new DemoPorts(freePort(taken), freePort(taken), freePort(taken), freePort(taken),
        freePort(taken), freePort(taken), freePort(taken), s);
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

  /**
   * A port free now and below the kernel's ephemeral range. The services bind theirs a minute
   * later, once their JVMs are up; a port from the ephemeral range (what binding port 0 gives)
   * can be taken in that minute as the local port of any outgoing connection, the gateway's and
   * agents' among them, and the service then fails with "Address already in use". Below the
   * range only another listener can take it.
   */
  private static int freePort(Set<Integer> taken) throws IOException {
    int below = ephemeralRangeStart();
    if (below > LOWEST + 1000) {
      for (int attempt = 0; attempt < 200; attempt++) {
        int port = LOWEST + RANDOM.nextInt(below - LOWEST);
        if (!taken.contains(port) && bindable(port)) {
          taken.add(port);
          return port;
        }
      }
    }
    while (true) {
      try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        if (taken.add(socket.getLocalPort())) {
          return socket.getLocalPort();
        }
      }
    }
  }

  private static final int LOWEST = 20000;
  private static final Random RANDOM = new Random();

  private static boolean bindable(int port) {
    try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** The first port of Linux's ephemeral range; 0 where it cannot be read (other systems). */
  private static int ephemeralRangeStart() {
    try {
      String range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim();
      return Integer.parseInt(range.split("\\s+")[0]);
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }
}
