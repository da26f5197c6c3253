package io.vigil.testbed.load;

import io.grpc.MethodDescriptor;
import io.vigil.core.Signal;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** OTLP gRPC methods carrying already-encoded bytes, so neither end of the benchmark re-encodes. */
final class RawOtlp {

  private RawOtlp() {}

  static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
    @Override
    public InputStream stream(byte[] value) {
      return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      try {
        return stream.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  };

  static MethodDescriptor<byte[], byte[]> export(Signal<?> signal) {
    String service = switch (signal.name()) {
      case "traces" -> "opentelemetry.proto.collector.trace.v1.TraceService";
      case "metrics" -> "opentelemetry.proto.collector.metrics.v1.MetricsService";
      default -> "opentelemetry.proto.collector.logs.v1.LogsService";
    };
    return MethodDescriptor.<byte[], byte[]>newBuilder()
        .setType(MethodDescriptor.MethodType.UNARY)
        .setFullMethodName(MethodDescriptor.generateFullMethodName(service, "Export"))
        .setRequestMarshaller(BYTES)
        .setResponseMarshaller(BYTES)
        .build();
  }
}
