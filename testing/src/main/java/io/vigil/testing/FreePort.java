package io.vigil.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP port on 127.0.0.1 that was free a moment ago, and that this JVM has not handed out
 * before: the kernel may give the same ephemeral port to two binds in a row once the first socket
 * closed, and a config that got one port for two servers fails to start (seen in CI: the OTLP
 * endpoint and the admin address of one gateway).
 */
public final class FreePort {

  private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();
  /** Bounded: a port already handed out is asked again at most this often. */
  private static final int ATTEMPTS = 100;

  private FreePort() {}

  public static int pick() {
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      int port;
      try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        s.setReuseAddress(true);
        port = s.getLocalPort();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      if (HANDED_OUT.add(port)) {
        return port;
      }
    }
    throw new IllegalStateException("no port on 127.0.0.1 that this JVM has not handed out in "
        + ATTEMPTS + " attempts");
  }

  /** {@code 127.0.0.1:<free port>}, as a config endpoint. */
  public static String endpoint() {
    return "127.0.0.1:" + pick();
  }
}
