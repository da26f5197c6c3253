package io.vigil.receiver.otlp;

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
 * The OTLP receiver keeps the component contract with both protocols on free ports (the
 * defaults, 0.0.0.0:4317 and 4318, would clash with other builds). Batches go over OTLP/HTTP
 * protobuf; the future completes with the receiver's 200.
 */
class OtlpReceiverFactoryContractTest extends ComponentFactoryContract {

  private final int grpcPort = FreePort.pick();
  private final int httpPort = FreePort.pick();
  private final HttpClient client = HttpClient.newHttpClient();

  @Override
  protected ComponentFactory<?> factory() {
    return new OtlpReceiverFactory();
  }

  // Required: at least one of protocols::grpc, protocols::http (as in the collector, the
  // default enables neither, so it does not validate).
  @Override
  protected boolean defaultConfigValidates() {
    return false;
  }

  @Override
  protected String config(String backend) {
    return "{protocols: {grpc: {endpoint: \"127.0.0.1:" + grpcPort + "\"},"
        + " http: {endpoint: \"127.0.0.1:" + httpPort + "\"}}}";
  }

  @Override
  protected CompletableFuture<?> sendToReceiver(Signal<?> signal, Message batch) {
    HttpRequest r = HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + httpPort + "/v1/" + signal.name()))
        .header("Content-Type", "application/x-protobuf")
        .POST(HttpRequest.BodyPublishers.ofByteArray(batch.toByteArray()))
        .build();
    return client.sendAsync(r, HttpResponse.BodyHandlers.ofString()).thenApply(resp -> {
      if (resp.statusCode() != 200) {
        throw new IllegalStateException("HTTP " + resp.statusCode() + ": " + resp.body());
      }
      return resp;
    });
  }
}
