package io.vigil.gateway;

import io.vigil.core.component.ComponentFactory;
import io.vigil.core.component.ComponentId;
import io.vigil.core.component.ComponentKind;
import io.vigil.core.config.ComponentConfig;
import io.vigil.core.config.ConfigException;
import io.vigil.core.config.ConfigProblems;
import io.vigil.core.config.GatewayConfig;
import io.vigil.core.config.HostPort;
import io.vigil.core.config.PipelineConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every address the config would listen on, by key path: the admin server, the receivers and
 * exporters the pipelines use (the prometheus exporter serves a scrape endpoint) and the
 * extensions the service lists. {@code validate} checks that no port is given to two servers
 * and that each address is free now; start checks the first before binding anything and, when a
 * bind fails, names the address and the key path with the second.
 */
final class PortProbe {

  private PortProbe() {}

  /** For {@code validate}: no shared ports, and every address free now. */
  static void checkFree(GatewayConfig config) {
    ConfigProblems problems = new ConfigProblems();
    problems.check(() -> checkNoSharedPorts(config));
    addresses(config).forEach((key, address) -> problems.check(() -> probe(key, address)));
    problems.throwIfAny();
  }

  /** No two servers on one port (the same host, or either on all interfaces). */
  static void checkNoSharedPorts(GatewayConfig config) {
    Map<String, InetSocketAddress> seen = new LinkedHashMap<>();
    Map<String, String> texts = addresses(config);
    ConfigProblems problems = new ConfigProblems();
    texts.forEach((keyPath, text) -> problems.check(() -> {
      InetSocketAddress a = HostPort.parse(text, keyPath);
      if (a.getPort() == 0) {
        return;
      }
      seen.forEach((otherKey, other) -> {
        if (other.getPort() == a.getPort() && overlap(a, other)) {
          throw new ConfigException(keyPath, text + " is also " + otherKey + " ("
              + texts.get(otherKey) + "); two servers cannot listen on one port");
        }
      });
      seen.put(keyPath, a);
    }));
    problems.throwIfAny();
  }

  private static boolean overlap(InetSocketAddress a, InetSocketAddress b) {
    if (a.isUnresolved() || b.isUnresolved()) {
      return a.getHostString().equalsIgnoreCase(b.getHostString());
    }
    return a.getAddress().isAnyLocalAddress() || b.getAddress().isAnyLocalAddress()
        || a.getAddress().equals(b.getAddress());
  }

  /** Key path → address text, for every server the config starts. */
  static Map<String, String> addresses(GatewayConfig config) {
    Map<String, String> addresses = new LinkedHashMap<>();
    String admin = config.telemetry().metrics.address;
    if (admin != null && !admin.isBlank()) {
      addresses.put(AdminServer.KEY, admin);
    }
    Set<ComponentConfig> used = new LinkedHashSet<>();
    for (PipelineConfig p : config.pipelines().values()) {
      addAll(used, config, ComponentKind.RECEIVER, p.receivers());
    }
    for (PipelineConfig p : config.pipelines().values()) {
      // An ID under a pipeline's exporters that is not an exporter is a connector: no server.
      addAll(used, config, ComponentKind.EXPORTER, p.exporters());
    }
    addAll(used, config, ComponentKind.EXTENSION, config.extensions());
    for (ComponentConfig c : used) {
      listen(c).forEach((key, addr) -> {
        if (addr != null && !addr.isBlank()) {
          addresses.put(c.keyPath() + "::" + key, addr);
        }
      });
    }
    return addresses;
  }

  private static void addAll(
      Set<ComponentConfig> used, GatewayConfig config, ComponentKind kind,
      List<ComponentId> ids) {
    for (ComponentId id : ids) {
      ComponentConfig c = config.component(kind, id);
      if (c != null) {
        used.add(c);
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, String> listen(ComponentConfig c) {
    return ((ComponentFactory<Object>) c.factory()).listenAddresses(c.config());
  }

  static void probe(String keyPath, String address) {
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
