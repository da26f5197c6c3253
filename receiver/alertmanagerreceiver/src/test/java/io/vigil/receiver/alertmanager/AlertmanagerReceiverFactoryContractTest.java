package io.vigil.receiver.alertmanager;

import com.google.protobuf.Message;
import io.vigil.core.Signal;
import io.vigil.core.component.ComponentFactory;
import io.vigil.testing.ComponentFactoryContract;
import io.vigil.testing.FreePort;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;

/**
 * The alertmanager receiver keeps the component contract on a free port. Its protocol carries
 * alerts, not OTLP batches, so an "empty batch" is a webhook payload with no alerts.
 */
class AlertmanagerReceiverFactoryContractTest extends ComponentFactoryContract {

  private final int port = FreePort.pick();
  private final HttpClient client = HttpClient.newHttpClient();

  @Override
  protected ComponentFactory<?> factory() {
    return new AlertmanagerReceiverFactory();
  }

  @Override
  protected String config(String backend) {
    return "{endpoint: \"127.0.0.1:" + port + "\"}";
  }

  @Override
  protected CompletableFuture<?> sendToReceiver(Signal<?> signal, Message batch) {
    HttpRequest r = HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + port + "/api/v1/alerts"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(
            // An OTLP batch with items becomes one alert; an empty one, a payload with none.
            "{\"version\":\"4\",\"status\":\"firing\",\"alerts\":["
                + (batch.getSerializedSize() == 0 ? "" : "{\"status\":\"firing\",\"labels\":"
                    + "{\"alertname\":\"Contract\"},\"startsAt\":\"2026-01-01T00:00:00Z\"}")
                + "]}"))
        .build();
    return client.sendAsync(r, HttpResponse.BodyHandlers.ofString()).thenApply(resp -> {
      if (resp.statusCode() != 200) {
        throw new IllegalStateException("HTTP " + resp.statusCode() + ": " + resp.body());
      }
      return resp;
    });
  }
}
