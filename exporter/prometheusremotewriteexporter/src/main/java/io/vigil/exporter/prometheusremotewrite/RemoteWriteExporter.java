package io.vigil.exporter.prometheusremotewrite;

import com.google.protobuf.Message;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.vigil.config.tls.ClientTls;
import io.vigil.config.tls.JdkHttpClients;
import io.vigil.core.Consumer;
import io.vigil.core.Signal;
import io.vigil.core.component.ComponentSettings;
import io.vigil.core.component.Exporter;
import io.vigil.exporter.exporterhelper.ExportFailure;
import io.vigil.exporter.exporterhelper.PerSignalSenders;
import io.vigil.exporter.exporterhelper.SendResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.xerial.snappy.Snappy;

/**
 * Pushes metrics to a remote-write endpoint: one snappy-compressed WriteRequest per batch,
 * through the shared sending queue, so an unreachable or overloaded receiver (5xx, 429) is
 * retried with backoff and a rejected request (other 4xx) is dropped and logged.
 */
final class RemoteWriteExporter implements Exporter {

  static final String VERSION_HEADER = "X-Prometheus-Remote-Write-Version";

  private final RemoteWriteExporterConfig config;
  private final WriteRequestBuilder builder;
  private final PerSignalSenders sender;
  private final URI url;
  private HttpClient client;
  private ClientTls tls;

  RemoteWriteExporter(ComponentSettings settings, RemoteWriteExporterConfig config) {
    this.config = config;
    config.applyRemoteWriteQueue();
    this.builder = new WriteRequestBuilder(config);
    this.url = URI.create(config.endpoint);
    this.sender = new PerSignalSenders(settings, config);
    sender.add(Signal.METRICS, this::post);
  }

  private CompletableFuture<SendResult> post(ExportMetricsServiceRequest batch, Duration timeout) {
    WriteRequestBuilder.Result built = builder.build(batch);
    String note = built.dropped() == 0 ? "" : built.dropped() + " points have delta temporality"
        + " or are exponential histograms, which remote write cannot carry; put the prometheus"
        + " exporter in front of them, or make the source send cumulative explicit histograms";
    if (built.request().getTimeseriesCount() == 0) {
      return CompletableFuture.completedFuture(SendResult.partial(built.dropped(), note));
    }
    byte[] body;
    try {
      body = Snappy.compress(built.request().toByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    HttpRequest.Builder req = HttpRequest.newBuilder(url)
        .timeout(timeout)
        .header("Content-Type", "application/x-protobuf")
        .header("Content-Encoding", "snappy")
        .header(VERSION_HEADER, "0.1.0")
        .header("User-Agent", "vigil-gateway");
    config.headers.forEach(req::header);
    req.POST(HttpRequest.BodyPublishers.ofByteArray(body));
    return client.sendAsync(req.build(), HttpResponse.BodyHandlers.ofString())
        .handle((resp, err) -> {
          if (err != null) {
            throw new CompletionException(ExportFailure.retryable(
                "cannot reach " + url + ": " + err, err));
          }
          int code = resp.statusCode();
          if (code >= 200 && code < 300) {
            return SendResult.partial(built.dropped(), note);
          }
          String text = resp.body().strip();
          String message = "HTTP " + code + " from " + url + ": "
              + (text.length() > 512 ? text.substring(0, 512) + "..." : text);
          // The remote-write spec: 5xx and 429 may be retried, other 4xx must not be.
          if (code >= 500 || code == 429) {
            throw new CompletionException(ExportFailure.retryable(message,
                retryAfter(resp.headers().firstValue("Retry-After").orElse(null))));
          }
          throw new CompletionException(ExportFailure.permanent(message));
        });
  }

  private static Duration retryAfter(String header) {
    try {
      return header == null ? null : Duration.ofSeconds(Long.parseLong(header.trim()));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  @Override
  public <T extends Message> Consumer<T> consumer(Signal<T> signal) {
    return sender.consumer(signal);
  }

  @Override
  public void start() {
    HttpClient.Builder b = HttpClient.newBuilder()
        .connectTimeout(config.timeout)
        .version(HttpClient.Version.HTTP_1_1);
    tls = JdkHttpClients.configure(b, config.tls, "tls");
    client = b.build();
    sender.start();
  }

  @Override
  public void shutdown(Instant deadline) {
    sender.shutdown(deadline);
    if (tls != null) {
      tls.close();
    }
  }
}
