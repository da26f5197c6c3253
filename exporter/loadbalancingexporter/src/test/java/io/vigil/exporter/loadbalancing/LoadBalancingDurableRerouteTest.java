package io.vigil.exporter.loadbalancing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.vigil.core.Signal;
import io.vigil.core.component.ComponentId;
import io.vigil.core.component.ComponentKind;
import io.vigil.core.component.ComponentSettings;
import io.vigil.core.component.Extension;
import io.vigil.core.component.Host;
import io.vigil.core.telemetry.GatewayTelemetry;
import io.vigil.exporter.loadbalancing.LoadBalancingDnsTest.Backends;
import io.vigil.extension.filestorage.FileStorageConfig;
import io.vigil.extension.filestorage.FileStorageExtension;
import io.vigil.extension.filestorage.FileStorageFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each backend's sending queue on disk ({@code sending_queue::storage}), three real OTLP backends
 * behind a real DNS name, one of them down, so what the ring gives it waits in its log. When it
 * leaves the ring, while the gateway runs or while it is stopped, its log is read back and routed
 * to the backends that own those traces now: exactly the sent span IDs arrive, each once, each
 * trace whole at one backend, and the removed backend's log ends empty.
 */
class LoadBalancingDurableRerouteTest {

  private static final ComponentId STORAGE = ComponentId.of("file_storage");
  private static final ComponentId EXPORTER = ComponentId.of("loadbalancing");

  @TempDir Path dir;

  @Test
  void aRemovedBackendsQueueOnDiskReachesTheOthers() throws Exception {
    try (LoopbackDnsServer dnsServer = new LoopbackDnsServer();
        Backends b = Backends.start(3)) {
      b.get(2).close(); // down: its share waits in its durable queue
      String down = "127.0.0.3:" + b.port();
      FileStorageExtension storage = startStorage();
      dnsServer.set(LoadBalancingDnsTest.NAME, b.addresses(0, 1, 2));
      LoadBalancingExporter e = LoadBalancingDnsTest.exporter(dnsServer, b.port(),
          host(storage), STORAGE.toString());
      e.start(Host.NONE);
      try {
        await().atMost(Duration.ofSeconds(10)).until(() -> e.backends().size() == 3);
        Map<ByteString, ByteString> sent = new HashMap<>();
        for (int round = 0; round < 3; round++) {
          sent.putAll(LoadBalancingDnsTest.sendTraces(e, 40));
        }
        long queued = BackendQueuesOnDisk.queued(storage, EXPORTER, down, Signal.TRACES);
        assertThat(queued).as("the down backend's share, on disk").isPositive();

        dnsServer.set(LoadBalancingDnsTest.NAME, b.addresses(0, 1));
        for (int round = 0; round < 3; round++) {
          sent.putAll(LoadBalancingDnsTest.sendTraces(e, 40)); // may race the swap
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> e.backends().size() == 2);
        await().atMost(Duration.ofSeconds(30))
            .until(() -> b.arrived(0, 1).size() == sent.size());
        assertThat(b.arrived(0, 1)).isEqualTo(sent.keySet());
        assertThat(b.get(2).spans).isEmpty();
        b.assertEachTraceAtOneBackend();
        b.assertEachSpanOnce();
        assertThat(BackendQueuesOnDisk.queued(storage, EXPORTER, down, Signal.TRACES))
            .as("nothing left on disk for the removed backend").isZero();
        assertThat(LoadBalancingRerouteTest.rerouted(e.registry()))
            .as("the down backend's share, counted").isPositive().isLessThan(sent.size());
      } finally {
        e.shutdown(Instant.now().plusSeconds(5));
        storage.shutdown(Instant.now().plusSeconds(5));
      }
    }
  }

  @Test
  void aQueueLeftOnDiskForABackendGoneAtRestartReachesTheRing() throws Exception {
    try (LoopbackDnsServer dnsServer = new LoopbackDnsServer();
        Backends b = Backends.start(3)) {
      b.get(2).close();
      String down = "127.0.0.3:" + b.port();
      Map<ByteString, ByteString> sent = new HashMap<>();

      // First run: backend 2 on the ring but down; the gateway stops with its share on disk.
      FileStorageExtension storage = startStorage();
      dnsServer.set(LoadBalancingDnsTest.NAME, b.addresses(0, 1, 2));
      LoadBalancingExporter first = LoadBalancingDnsTest.exporter(dnsServer, b.port(),
          host(storage), STORAGE.toString());
      first.start(Host.NONE);
      long queued;
      try {
        await().atMost(Duration.ofSeconds(10)).until(() -> first.backends().size() == 3);
        for (int round = 0; round < 3; round++) {
          sent.putAll(LoadBalancingDnsTest.sendTraces(first, 40));
        }
        Set<ByteString> toLiveOnes = sent.entrySet().stream()
            .filter(s -> !first.backendFor(s.getValue()).equals(down))
            .map(Map.Entry::getKey).collect(Collectors.toSet());
        await().atMost(Duration.ofSeconds(30)).until(() -> b.arrived(0, 1).equals(toLiveOnes));
        assertThat(toLiveOnes).hasSizeLessThan(sent.size());
      } finally {
        first.shutdown(Instant.now().plusSeconds(5));
        queued = BackendQueuesOnDisk.queued(storage, EXPORTER, down, Signal.TRACES);
        storage.shutdown(Instant.now().plusSeconds(5));
      }
      assertThat(queued).as("the down backend's share stays on disk at shutdown").isPositive();

      // Second run on the same directory: backend 2 is no longer a member.
      FileStorageExtension again = startStorage();
      dnsServer.set(LoadBalancingDnsTest.NAME, b.addresses(0, 1));
      LoadBalancingExporter second = LoadBalancingDnsTest.exporter(dnsServer, b.port(),
          host(again), STORAGE.toString());
      second.start(Host.NONE);
      try {
        await().atMost(Duration.ofSeconds(30))
            .until(() -> b.arrived(0, 1).size() == sent.size());
        assertThat(b.arrived(0, 1)).isEqualTo(sent.keySet());
        b.assertEachTraceAtOneBackend();
        b.assertEachSpanOnce();
        await().atMost(Duration.ofSeconds(10)).until(() ->
            BackendQueuesOnDisk.queued(again, EXPORTER, down, Signal.TRACES) == 0);
        assertThat(second.backends()).hasSize(2);
      } finally {
        second.shutdown(Instant.now().plusSeconds(5));
        again.shutdown(Instant.now().plusSeconds(5));
      }
    }
  }

  private FileStorageExtension startStorage() throws Exception {
    FileStorageConfig c = new FileStorageConfig();
    c.directory = dir.toString();
    c.validate();
    Extension ext = new FileStorageFactory().create(new ComponentSettings(
        ComponentKind.EXTENSION, STORAGE, new GatewayTelemetry()), c);
    ext.start();
    return (FileStorageExtension) ext;
  }

  private static Host host(FileStorageExtension storage) {
    return () -> Map.of(STORAGE, storage);
  }
}
