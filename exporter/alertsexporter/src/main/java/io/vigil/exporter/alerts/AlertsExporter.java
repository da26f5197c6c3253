package io.vigil.exporter.alerts;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.vigil.config.tls.JdkHttpClients;
import io.vigil.core.Consumer;
import io.vigil.core.Signal;
import io.vigil.core.component.Exporter;
import java.net.URI;
import io.vigil.config.tls.ClientTls;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;

/**
 * Reads the anomaly records in a logs pipeline (records with a {@code vigil.anomaly.kind}
 * attribute, from the logtemplate processor or any other detector) and raises one alert per
 * key and {@code repeat_interval}: logged, and POSTed to {@code webhook_url} in the shape of
 * Alertmanager's webhook payload so existing receivers take it. Other records are ignored.
 */
final class AlertsExporter implements Exporter {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final String name;
  private final AlertsExporterConfig config;
  private final Logger log;
  private final URI webhook;
  private HttpClient http;
  private ClientTls tls;
  /** Per key: when it was last sent and how many anomalies it folded since. */
  private final Map<String, long[]> recent;
  private final AtomicInteger inFlight = new AtomicInteger();

  AlertsExporter(String name, AlertsExporterConfig config, Logger log) {
    this.name = name;
    this.config = config;
    this.log = log;
    this.webhook = config.webhookUrl.isEmpty() ? null : URI.create(config.webhookUrl);
    this.recent = new LinkedHashMap<>(64, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, long[]> eldest) {
        return size() > config.maxKeys;
      }
    };
  }

  @Override
  public void start() {
    if (webhook != null) {
      HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(config.timeout);
      tls = JdkHttpClients.configure(b, config.tls, "tls");
      http = b.build();
    }
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T extends com.google.protobuf.Message> Consumer<T> consumer(Signal<T> signal) {
    if (signal != Signal.LOGS) {
      throw new IllegalArgumentException("the alerts exporter takes logs only");
    }
    return batch -> {
      for (Alert a : newAlerts((ExportLogsServiceRequest) batch, System.nanoTime())) {
        raise(a);
      }
      return CompletableFuture.completedFuture(null);
    };
  }

  /** The alerts of a batch that are not repeats of one raised within repeat_interval. */
  synchronized List<Alert> newAlerts(ExportLogsServiceRequest batch, long nowNanos) {
    List<Alert> out = new ArrayList<>();
    for (ResourceLogs rl : batch.getResourceLogsList()) {
      String resourceService = string(rl.getResource().getAttributesList(), "service.name");
      for (ScopeLogs sl : rl.getScopeLogsList()) {
        for (LogRecord r : sl.getLogRecordsList()) {
          Alert a = toAlert(r, resourceService);
          if (a == null) {
            continue;
          }
          long[] seen = recent.get(a.key());
          if (seen != null && nowNanos - seen[0] < config.repeatInterval.toNanos()) {
            seen[1]++;
            continue;
          }
          recent.put(a.key(), new long[] {nowNanos, 0});
          out.add(a);
        }
      }
    }
    return out;
  }

  /** Anomalies folded into the alert of this key since it was last raised. */
  synchronized long repeats(String key) {
    long[] seen = recent.get(key);
    return seen == null ? 0 : seen[1];
  }

  static Alert toAlert(LogRecord r, String resourceService) {
    List<KeyValue> attrs = r.getAttributesList();
    String kind = string(attrs, "vigil.anomaly.kind");
    if (kind == null) {
      return null;
    }
    String service = string(attrs, "service.name");
    if (service == null) {
      service = resourceService == null ? "unknown_service" : resourceService;
    }
    String templateId = string(attrs, "log.template.id");
    List<String> traces = new ArrayList<>();
    for (KeyValue kv : attrs) {
      if (kv.getKey().equals("vigil.anomaly.trace_ids")) {
        for (AnyValue v : kv.getValue().getArrayValue().getValuesList()) {
          traces.add(v.getStringValue());
        }
      }
    }
    String source = string(attrs, "vigil.anomaly.source");
    String series = string(attrs, "vigil.anomaly.series");
    String key = service + "/" + (templateId != null ? templateId : series != null ? series : kind);
    return new Alert(key, service, kind, source == null ? "" : source, templateId,
        string(attrs, "log.template"), r.getBody().getStringValue(),
        r.getTimeUnixNano() != 0 ? r.getTimeUnixNano() : r.getObservedTimeUnixNano(), traces);
  }

  private static String string(List<KeyValue> attrs, String key) {
    for (KeyValue kv : attrs) {
      if (kv.getKey().equals(key) && kv.getValue().hasStringValue()) {
        return kv.getValue().getStringValue();
      }
    }
    return null;
  }

  private void raise(Alert a) {
    log.warn("ALERT {} {} on {}: {}{}", a.kind(), a.key(), a.service(), a.summary(),
        a.traceIds().isEmpty() ? "" : " (traces " + String.join(", ", a.traceIds()) + ")");
    if (webhook != null) {
      post(a, payload(a), 1);
    }
  }

  /** Alertmanager's webhook payload (version 4) carrying one firing alert. */
  static String payload(Alert a) {
    ObjectNode root = JSON.createObjectNode();
    root.put("version", "4");
    root.put("groupKey", a.key());
    root.put("status", "firing");
    root.put("receiver", "vigil");
    ObjectNode labels = JSON.createObjectNode();
    labels.put("alertname", "VigilAnomaly");
    labels.put("service", a.service());
    labels.put("kind", a.kind());
    if (!a.source().isEmpty()) {
      labels.put("source", a.source());
    }
    if (a.templateId() != null) {
      labels.put("template_id", a.templateId());
    }
    ObjectNode annotations = JSON.createObjectNode();
    annotations.put("summary", a.summary());
    if (a.template() != null) {
      annotations.put("template", a.template());
    }
    if (!a.traceIds().isEmpty()) {
      annotations.put("trace_ids", String.join(",", a.traceIds()));
    }
    root.set("groupLabels", JSON.createObjectNode().put("service", a.service()));
    root.set("commonLabels", labels.deepCopy());
    root.set("commonAnnotations", annotations.deepCopy());
    root.put("externalURL", "");
    ArrayNode alerts = root.putArray("alerts");
    ObjectNode alert = alerts.addObject();
    alert.put("status", "firing");
    alert.set("labels", labels);
    alert.set("annotations", annotations);
    alert.put("startsAt", Instant.ofEpochSecond(0, a.startUnixNano()).toString());
    alert.put("endsAt", "0001-01-01T00:00:00Z");
    alert.put("generatorURL", "");
    alert.put("fingerprint", Long.toHexString(a.key().hashCode() & 0xffffffffL));
    return root.toString();
  }

  private void post(Alert a, String body, int attempt) {
    inFlight.incrementAndGet();
    HttpRequest request = HttpRequest.newBuilder(webhook).timeout(config.timeout)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((resp, err) -> {
      try {
        boolean ok = err == null && resp.statusCode() / 100 == 2;
        if (ok) {
          return;
        }
        String why = err != null ? err.toString() : "HTTP " + resp.statusCode();
        if (attempt < config.maxAttempts) {
          inFlight.incrementAndGet();
          CompletableFuture.delayedExecutor(attempt * 500L, TimeUnit.MILLISECONDS)
              .execute(() -> {
                post(a, body, attempt + 1);
                synchronized (inFlight) {
                  inFlight.decrementAndGet();
                  inFlight.notifyAll();
                }
              });
        } else {
          log.error("alerts {}: gave up sending alert {} to {} after {} attempts: {}", name,
              a.key(), webhook, attempt, why);
        }
      } finally {
        synchronized (inFlight) {
          inFlight.decrementAndGet();
          inFlight.notifyAll();
        }
      }
    });
  }

  @Override
  public void shutdown(Instant deadline) {
    try {
      awaitInFlight(deadline);
    } finally {
      if (tls != null) {
        tls.close();
      }
    }
  }

  private void awaitInFlight(Instant deadline) {
    synchronized (inFlight) {
      while (inFlight.get() > 0) {
        long left = java.time.Duration.between(Instant.now(), deadline).toMillis();
        if (left <= 0) {
          log.warn("alerts {}: {} webhook POSTs still unanswered at shutdown", name,
              inFlight.get());
          return;
        }
        try {
          inFlight.wait(left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }
}
