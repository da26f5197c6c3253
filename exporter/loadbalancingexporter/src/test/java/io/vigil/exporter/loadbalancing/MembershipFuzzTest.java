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
import io.vigil.extension.filestorage.FileStorageFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded random membership: between batches, the resolver reports a random non-empty subset of
 * four live backends (some rounds twice in a row, some unchanged). Whatever the sequence, no
 * crash, no hang, and no silent loss: every span sent arrives somewhere, nothing else arrives.
 */
class MembershipFuzzTest {

  @TempDir Path dir;

  @Test
  void randomMembershipChangesLoseNothing() throws Exception {
    run(Host.NONE, null);
  }

  /**
   * The same with each backend's queue on disk: a removed backend's log is handed on while the
   * sequence may name it again at once, so it rejoins only after the hand-over.
   */
  @Test
  void randomMembershipChangesLoseNothingWithQueuesOnDisk() throws Exception {
    FileStorageConfig c = new FileStorageConfig();
    c.directory = dir.toString();
    c.validate();
    Extension storage = new FileStorageFactory().create(new ComponentSettings(
        ComponentKind.EXTENSION, ComponentId.of("file_storage"), new GatewayTelemetry()), c);
    storage.start();
    try {
      run(() -> Map.of(ComponentId.of("file_storage"), storage), "file_storage");
    } finally {
      storage.shutdown(Instant.now().plusSeconds(5));
    }
  }

  private static void run(Host host, String storage) throws Exception {
    Random rnd = new Random(26);
    try (Backends b = Backends.start(4)) {
      AtomicReference<Consumer<Set<String>>> tell = new AtomicReference<>();
      BackendResolver controlled = new BackendResolver() {
        @Override
        public void start(Consumer<Set<String>> onChange) {
          tell.set(onChange);
        }

        @Override
        public void shutdown() {}
      };
      LoadBalancingExporterConfig cfg = new LoadBalancingExporterConfig();
      cfg.resolver.staticResolver = new LoadBalancingExporterConfig.Static();
      cfg.resolver.staticResolver.hostnames = List.of("unused:4317");
      cfg.protocol.otlp.tls.insecure = true;
      cfg.protocol.otlp.timeout = Duration.ofSeconds(30); // see LoadBalancingDnsTest
      cfg.protocol.otlp.sendingQueue.storage = storage;
      cfg.validate();
      LoadBalancingExporter e = new LoadBalancingExporter(new ComponentSettings(
          ComponentKind.EXPORTER, ComponentId.of("loadbalancing"), new GatewayTelemetry(), host),
          cfg,
          Set.of(Signal.TRACES), controlled);
      e.start(Host.NONE);
      try {
        Set<ByteString> sent = new HashSet<>();
        for (int round = 0; round < 15; round++) {
          int changes = rnd.nextInt(3);
          // With queues on disk a re-added backend rejoins a moment later (once the hand-over
          // of its log stopped): wait for a member rather than name ever new sets meanwhile.
          for (int c = 0; c < changes
              || (storage == null ? e.backends().isEmpty() : round == 0 && c == 0); c++) {
            List<String> subset = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
              if (rnd.nextBoolean()) {
                subset.add(b.get(i).endpoint());
              }
            }
            if (subset.isEmpty()) {
              subset.add(b.get(rnd.nextInt(4)).endpoint());
            }
            tell.get().accept(Set.copyOf(subset));
          }
          if (storage != null) {
            await().atMost(Duration.ofSeconds(30)).until(() -> !e.backends().isEmpty());
          }
          sent.addAll(LoadBalancingDnsTest.send(e, 1 + rnd.nextInt(20)));
        }
        await().atMost(Duration.ofSeconds(30)).until(() ->
            b.arrived(0, 1, 2, 3).containsAll(sent));
        assertThat(b.arrived(0, 1, 2, 3)).isEqualTo(sent);
      } finally {
        e.shutdown(Instant.now().plusSeconds(5));
      }
    }
  }
}
