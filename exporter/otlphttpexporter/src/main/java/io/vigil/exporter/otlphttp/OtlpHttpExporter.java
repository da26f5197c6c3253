package io.vigil.exporter.otlphttp;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.vigil.config.tls.ClientTls;
import io.vigil.config.tls.JdkHttpClients;
import io.vigil.core.Consumer;
import io.vigil.core.auth.ClientAuthenticator;
import io.vigil.core.Signal;
import io.vigil.core.component.ComponentSettings;
import io.vigil.core.component.Exporter;
import io.vigil.exporter.exporterhelper.BatchSender;
import io.vigil.exporter.exporterhelper.EncodedBatchSender;
import io.vigil.exporter.exporterhelper.Compression;
import io.vigil.exporter.exporterhelper.ExportFailure;
import io.vigil.exporter.exporterhelper.PerSignalSenders;
import io.vigil.exporter.exporterhelper.SendResult;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/** Sends OTLP/HTTP with binary protobuf bodies, per the OTLP specification. */
final class OtlpHttpExporter implements Exporter {

  private final OtlpHttpExporterConfig config;
  private final Compression compression;
  private final PerSignalSenders senders;
  private HttpClient client;
  private ClientTls tls;
  private volatile ClientAuthenticator authenticator;
  private final ComponentSettings settings;

  OtlpHttpExporter(ComponentSettings settings, OtlpHttpExporterConfig config, Set<Signal<?>> signals) {
    this.settings = settings;
    this.config = config;
    this.compression = Compression.parse("compression", config.compression, Compression.all());
    this.senders = new PerSignalSenders(settings, config);
    for (Signal<?> s : signals) {
      add(s);
    }
  }

  private <T extends Message> void add(Signal<T> s) {
    URI url = URI.create(url(config, s));
    // The durable queue hands over merged requests still serialized: posted as they are.
    BatchSender<T> send = EncodedBatchSender.of(
        (batch, timeout) -> post(url, s, batch.toByteArray(), timeout),
        (request, timeout) -> post(url, s, request, timeout));
    senders.add(s, send);
  }

  static String url(OtlpHttpExporterConfig c, Signal<?> s) {
    String override = s == Signal.TRACES ? c.tracesEndpoint
        : s == Signal.METRICS ? c.metricsEndpoint : c.logsEndpoint;
    if (!override.isEmpty()) {
      return override;
    }
    String base = c.endpoint.endsWith("/") ? c.endpoint.substring(0, c.endpoint.length() - 1)
        : c.endpoint;
    return base + "/v1/" + s.name();
  }

  private <T extends Message> CompletableFuture<SendResult> post(
      URI url, Signal<T> signal, byte[] request, Duration timeout) {
    HttpRequest.Builder req = HttpRequest.newBuilder(url)
        .timeout(timeout)
        .header("Content-Type", "application/x-protobuf");
    config.headers.forEach(req::header);
    ClientAuthenticator a = authenticator;
    if (a != null) {
      // Asked per request: a token rotated on disk is sent from the next request on.
      a.headers().forEach(req::setHeader);
    }
    byte[] body = request;
    if (compression != Compression.NONE) {
      body = compression.compress(body);
      req.header("Content-Encoding", compression.encoding());
    }
    req.POST(HttpRequest.BodyPublishers.ofByteArray(body));
    return client.sendAsync(req.build(), HttpResponse.BodyHandlers.ofByteArray())
        .handle((resp, err) -> {
          if (err != null) {
            throw new java.util.concurrent.CompletionException(ExportFailure.retryable(
                "cannot reach " + url + ": " + err, err));
          }
          int code = resp.statusCode();
          if (code >= 200 && code < 300) {
            return partialSuccess(signal, resp.body());
          }
          String message = "HTTP " + code + " from " + url + ": " + errorMessage(resp.body());
          if (code == 429 || code == 502 || code == 503 || code == 504) {
            throw new java.util.concurrent.CompletionException(ExportFailure.retryable(
                message, retryAfter(resp.headers().firstValue("Retry-After").orElse(null))));
          }
          throw new java.util.concurrent.CompletionException(ExportFailure.permanent(message));
        });
  }

  private static SendResult partialSuccess(Signal<?> signal, byte[] body) {
    if (body.length == 0) {
      return SendResult.accepted();
    }
    try {
      if (signal == Signal.TRACES) {
        var p = ExportTraceServiceResponse.parseFrom(body).getPartialSuccess();
        return SendResult.partial(p.getRejectedSpans(), p.getErrorMessage());
      }
      if (signal == Signal.METRICS) {
        var p = ExportMetricsServiceResponse.parseFrom(body).getPartialSuccess();
        return SendResult.partial(p.getRejectedDataPoints(), p.getErrorMessage());
      }
      var p = ExportLogsServiceResponse.parseFrom(body).getPartialSuccess();
      return SendResult.partial(p.getRejectedLogRecords(), p.getErrorMessage());
    } catch (InvalidProtocolBufferException e) {
      return SendResult.accepted();
    }
  }

  /** The message of a google.rpc.Status body, else the body as text, shortened. */
  private static String errorMessage(byte[] body) {
    try {
      com.google.rpc.Status s = com.google.rpc.Status.parseFrom(body);
      if (!s.getMessage().isEmpty()) {
        return s.getMessage();
      }
    } catch (InvalidProtocolBufferException e) {
      // Not a Status message: fall through to text.
    }
    String text = new String(body, StandardCharsets.UTF_8).strip();
    return text.length() > 512 ? text.substring(0, 512) + "..." : text;
  }

  /** Retry-After in seconds or as an HTTP date; null when absent or unreadable. */
  static Duration retryAfter(String header) {
    if (header == null || header.isBlank()) {
      return null;
    }
    try {
      return Duration.ofSeconds(Long.parseLong(header.trim()));
    } catch (NumberFormatException e) {
      try {
        Duration d = Duration.between(Instant.now(),
            ZonedDateTime.parse(header.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
        return d.isNegative() ? Duration.ZERO : d;
      } catch (DateTimeParseException e2) {
        return null;
      }
    }
  }

  @Override
  public <T extends Message> Consumer<T> consumer(Signal<T> signal) {
    return senders.consumer(signal);
  }

  @Override
  public void start() {
    HttpClient.Builder b = HttpClient.newBuilder()
        .connectTimeout(config.timeout)
        .version(HttpClient.Version.HTTP_1_1);
    tls = JdkHttpClients.configure(b, config.tls, "tls");
    client = b.build();
    if (config.auth != null) {
      authenticator = config.auth.client(settings.host(), "auth");
    }
    senders.start();
  }

  @Override
  public void shutdown(Instant deadline) {
    senders.shutdown(deadline);
    if (tls != null) {
      tls.close();
    }
  }
}
