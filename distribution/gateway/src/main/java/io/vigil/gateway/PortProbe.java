package io.vigil.gateway;

import io.vigil.core.component.ComponentFactory;
import io.vigil.core.component.ComponentKind;
import io.vigil.core.config.ComponentConfig;
import io.vigil.core.config.ConfigException;
import io.vigil.core.config.HostPort;
import io.vigil.core.config.GatewayConfig;
import io.vigil.core.config.PipelineConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/** Checks, for {@code validate}, that every address the config would listen on is free now. */
final class PortProbe {

  private PortProbe() {}

  static void checkFree(GatewayConfig config) {
    Map<String, String> addresses = new LinkedHashMap<>();
    String admin = config.telemetry().metrics.address;
    if (admin != null && !admin.isBlank()) {
      addresses.put(AdminServer.KEY, admin);
    }
    Set<ComponentConfig> used = new LinkedHashSet<>();
    for (PipelineConfig p : config.pipelines().values()) {
      p.receivers().forEach(id -> {
        ComponentConfig c = config.component(ComponentKind.RECEIVER, id);
        if (c != null) {
          used.add(c);
        }
      });
    }
    config.extensions().forEach(id -> used.add(config.component(ComponentKind.EXTENSION, id)));
    for (ComponentConfig c : used) {
      listen(c).forEach((key, addr) -> addresses.put(c.keyPath() + "::" + key, addr));
    }
    addresses.forEach(PortProbe::probe);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, String> listen(ComponentConfig c) {
    return ((ComponentFactory<Object>) c.factory()).listenAddresses(c.config());
  }

  private static void probe(String keyPath, String address) {
    InetSocketAddress a = HostPort.parse(address, keyPath);
    if (a.getPort() == 0) {
      return;
    }
    try (ServerSocket s = new ServerSocket()) {
      s.bind(a);
    } catch (IOException e) {
      throw new ConfigException(
          keyPath, "cannot listen on " + address + ": " + (e.getMessage() == null
              ? "address already in use" : e.getMessage().toLowerCase()));
    }
  }
}
