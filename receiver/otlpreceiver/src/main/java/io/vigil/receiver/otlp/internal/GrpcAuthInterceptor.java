package io.vigil.receiver.otlp.internal;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.vigil.core.auth.AuthenticationException;
import io.vigil.core.auth.ServerAuthenticator;
import io.vigil.core.telemetry.GatewayTelemetry.ReceiverTelemetry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Asks the authenticator about each call's metadata before the call starts: a refused call is
 * closed with UNAUTHENTICATED and given a listener that drops whatever message arrives, so the
 * request is never parsed nor handed to a pipeline.
 */
final class GrpcAuthInterceptor implements ServerInterceptor {

  private final ServerAuthenticator authenticator;
  private final ReceiverTelemetry telemetry;

  GrpcAuthInterceptor(ServerAuthenticator authenticator, ReceiverTelemetry telemetry) {
    this.authenticator = authenticator;
    this.telemetry = telemetry;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata metadata, ServerCallHandler<Q, R> next) {
    try {
      authenticator.authenticate(headers(metadata));
    } catch (AuthenticationException e) {
      telemetry.unauthenticated();
      call.close(Status.UNAUTHENTICATED.withDescription(e.getMessage()), new Metadata());
      return new ServerCall.Listener<Q>() {};
    }
    return next.startCall(call, metadata);
  }

  /** Text metadata by lower-case name (gRPC names are lower case already); binary skipped. */
  static Map<String, List<String>> headers(Metadata metadata) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (String key : metadata.keys()) {
      if (key.endsWith(Metadata.BINARY_HEADER_SUFFIX)) {
        continue;
      }
      Iterable<String> values = metadata.getAll(Metadata.Key.of(key, Metadata.ASCII_STRING_MARSHALLER));
      List<String> list = new ArrayList<>();
      if (values != null) {
        values.forEach(list::add);
      }
      out.put(key, list);
    }
    return out;
  }
}
