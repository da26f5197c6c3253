package io.vigil.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DemoPortsTest {

  private static List<Integer> all(DemoPorts p) {
    List<Integer> ports = new ArrayList<>(List.of(p.otlpGrpc(), p.otlpHttp(), p.admin(),
        p.prometheus(), p.console(), p.incidents(), p.launcher()));
    ports.addAll(p.services().values());
    return ports;
  }

  @Test
  void freePortsAreDistinctBindableAndOutsideTheEphemeralRange() throws Exception {
    DemoPorts p = DemoPorts.free();
    List<Integer> ports = all(p);
    assertThat(ports).hasSize(7 + DemoPorts.SERVICES.length).doesNotHaveDuplicates();
    for (int port : ports) {
      try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
        assertThat(s.getLocalPort()).isEqualTo(port);
      }
    }
    Path range = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
    if (Files.isReadable(range)) {
      int start = Integer.parseInt(Files.readString(range).trim().split("\\s+")[0]);
      if (start > 21000) {
        assertThat(ports).allSatisfy(port -> assertThat(port).isLessThan(start));
      }
    }
    p.checkAvailable();
  }

  @Test
  void aPortInUseIsNamed() throws Exception {
    DemoPorts p = DemoPorts.free();
    try (ServerSocket held = new ServerSocket(p.launcher(), 1, InetAddress.getLoopbackAddress())) {
      org.assertj.core.api.Assertions.assertThatThrownBy(p::checkAvailable)
          .hasMessageContaining("port " + p.launcher())
          .hasMessageContaining("launcher control endpoint");
    }
  }
}
