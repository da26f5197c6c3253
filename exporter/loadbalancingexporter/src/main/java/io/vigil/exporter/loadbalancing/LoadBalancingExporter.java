package io.vigil.exporter.loadbalancing;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.vigil.core.Consumer;
import io.vigil.core.Signal;
import io.vigil.core.component.ComponentId;
import io.vigil.core.component.ComponentSettings;
import io.vigil.core.component.Exporter;
import io.vigil.core.component.Host;
import io.vigil.exporter.otlp.OtlpExporterFactory;
import io.vigil.pdata.TraceGrouping;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Sends every span of a trace to the same backend: each batch is split by trace ID (or by
 * {@code service.name}), each part routed on the {@link HashRing} to its backend's otlp exporter
 * (its own sending queue and retries), and the batch is answered when every part was. With the
 * static resolver the set of backends is fixed for the exporter's life.
 */
final class LoadBalancingExporter implements Exporter {

  private final Map<String, Exporter> backends = new LinkedHashMap<>();
  private final HashRing ring;
  private final boolean byService;

  LoadBalancingExporter(ComponentSettings settings, LoadBalancingExporterConfig config) {
    List<String> endpoints = new ArrayList<>();
    for (String host : config.resolver.staticResolver.hostnames) {
      var c = config.backend(host);
      if (backends.containsKey(c.endpoint)) {
        continue;
      }
      endpoints.add(c.endpoint);
      // Each backend's queue and counters under its own ID: loadbalancing/NAME_host:port.
      String name = (settings.id().name().isEmpty() ? "" : settings.id().name() + "_") + c.endpoint;
      ComponentSettings own = new ComponentSettings(settings.kind(),
          ComponentId.of(settings.id().type(), name), settings.telemetry(), settings.host());
      backends.put(c.endpoint, new OtlpExporterFactory().create(own, c, Set.of(Signal.TRACES)));
    }
    this.ring = new HashRing(endpoints);
    this.byService = config.routingKey.equals("service");
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T extends Message> Consumer<T> consumer(Signal<T> signal) {
    return signal == Signal.TRACES ? (Consumer<T>) (Consumer<ExportTraceServiceRequest>) this::route
        : null;
  }

  private CompletableFuture<Void> route(ExportTraceServiceRequest batch) {
    Map<String, ExportTraceServiceRequest.Builder> perBackend = new LinkedHashMap<>();
    if (byService) {
      for (ResourceSpans rs : batch.getResourceSpansList()) {
        perBackend.computeIfAbsent(ring.backendFor(service(rs)),
            k -> ExportTraceServiceRequest.newBuilder()).addResourceSpans(rs);
      }
    } else {
      for (Map.Entry<ByteString, ExportTraceServiceRequest> e :
          TraceGrouping.byTraceId(batch).entrySet()) {
        perBackend.computeIfAbsent(ring.backendFor(e.getKey().toByteArray()),
            k -> ExportTraceServiceRequest.newBuilder())
            .addAllResourceSpans(e.getValue().getResourceSpansList());
      }
    }
    List<CompletableFuture<Void>> sent = new ArrayList<>();
    perBackend.forEach((endpoint, part) -> {
      try {
        sent.add(backends.get(endpoint).consumer(Signal.TRACES).consume(part.build()));
      } catch (RuntimeException ex) {
        sent.add(CompletableFuture.failedFuture(ex));
      }
    });
    return CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new));
  }

  private static byte[] service(ResourceSpans rs) {
    for (KeyValue kv : rs.getResource().getAttributesList()) {
      if (kv.getKey().equals("service.name")) {
        return kv.getValue().getStringValue().getBytes(StandardCharsets.UTF_8);
      }
    }
    return new byte[0];
  }

  /** The backend a trace ID is routed to (for tests). */
  String backendFor(ByteString traceId) {
    return ring.backendFor(traceId.toByteArray());
  }

  @Override
  public void start(Host host) throws Exception {
    for (Exporter e : backends.values()) {
      e.start(host);
    }
  }

  @Override
  public void shutdown(Instant deadline) {
    backends.values().forEach(e -> e.shutdown(deadline));
  }
}
