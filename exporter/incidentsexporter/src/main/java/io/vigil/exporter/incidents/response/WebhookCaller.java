package io.vigil.exporter.incidents.response;

import io.vigil.config.tls.ClientTls;
import io.vigil.config.tls.JdkHttpClients;
import io.vigil.config.tls.TlsClientSettings;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Sends a {@link WebhookRequest} and says how it went; blocking, on an action thread. */
final class WebhookCaller implements AutoCloseable {

  /** How a call went: {@code ok} for a 2xx answer, with what to write in the audit. */
  record Result(boolean ok, String outcome) {}

  private final HttpClient http;
  private final ClientTls tls;

  /** @param tls {@code response::tls}, null for the JVM's trust store */
  WebhookCaller(TlsClientSettings tls) {
    HttpClient.Builder b = HttpClient.newBuilder()
        .connectTimeout(Duration.ofSeconds(5))
        .followRedirects(HttpClient.Redirect.NEVER);
    this.tls = JdkHttpClients.configure(b, tls, "response::tls");
    this.http = b.build();
  }

  @Override
  public void close() {
    if (tls != null) {
      tls.close();
    }
  }

  Result call(WebhookRequest r) throws InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(r.url()).timeout(r.timeout())
        .header("Content-Type", "application/json")
        .header("User-Agent", "vigil-incidents-response");
    b.method(r.method(), r.body().isEmpty() ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofString(r.body()));
    long start = System.nanoTime();
    try {
      HttpResponse<String> resp = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      long ms = (System.nanoTime() - start) / 1_000_000;
      String body = resp.body() == null ? "" : resp.body();
      String answer = "HTTP " + resp.statusCode() + " in " + ms + " ms"
          + (body.isBlank() ? "" : ": " + (body.length() <= 200 ? body
              : body.substring(0, 200) + "…"));
      return new Result(resp.statusCode() / 100 == 2, answer);
    } catch (IOException e) {
      return new Result(false, e.toString());
    }
  }
}
