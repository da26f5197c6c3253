package io.vigil.receiver.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.testing.TestData;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Mutates valid protobuf, JSON and gzip bodies (bit flips, truncation, splices, inserted
 * bytes) and checks that every one gets a 2xx or 4xx answer — never a 5xx, a hang, or a dead
 * server. The seed is fixed and printed with any failure, so a failure replays.
 */
class OtlpReceiverFuzzTest {

  private static final long SEED = 0x5eed_0f_0717L;
  private static final int ROUNDS = 400;
  private final ReceiverHarness h = new ReceiverHarness(1 << 20, 1);

  @AfterEach
  void close() throws Exception {
    h.close();
  }

  private static byte[] mutate(byte[] in, Random r) {
    byte[] b = in.clone();
    switch (r.nextInt(4)) {
      case 0:
        for (int i = 0, n = 1 + r.nextInt(8); i < n && b.length > 0; i++) {
          b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8));
        }
        return b;
      case 1:
        return Arrays.copyOf(b, r.nextInt(b.length + 1));
      case 2: {
        int from = r.nextInt(b.length);
        int to = r.nextInt(b.length);
        int len = r.nextInt(Math.max(1, b.length - Math.max(from, to)));
        System.arraycopy(in, from, b, to, len);
        return b;
      }
      default: {
        int at = r.nextInt(b.length + 1);
        byte[] junk = new byte[1 + r.nextInt(16)];
        r.nextBytes(junk);
        byte[] out = new byte[b.length + junk.length];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(junk, 0, out, at, junk.length);
        System.arraycopy(b, at, out, at + junk.length, b.length - at);
        return out;
      }
    }
  }

  @Test
  void mutatedBodiesNeverBreakTheServer() throws Exception {
    Random r = new Random(SEED);
    byte[] proto = TestData.spans(5).toByteArray();
    byte[] json = ("{\"resourceLogs\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\","
        + "\"value\":{\"stringValue\":\"a\"}}]},\"scopeLogs\":[{\"logRecords\":[{\"timeUnixNano\":"
        + "\"1\",\"severityNumber\":9,\"body\":{\"stringValue\":\"hi\"},\"traceId\":"
        + "\"5b8efff798038103d269b633813fc60c\",\"spanId\":\"eee19b7ec3c1b174\"}]}]}]}")
        .getBytes(StandardCharsets.UTF_8);
    byte[] gz = OtlpReceiverBadInputTest.gzip(proto);
    for (int i = 0; i < ROUNDS; i++) {
      int kind = i % 3;
      byte[] body = mutate(kind == 0 ? proto : kind == 1 ? json : gz, r);
      HttpResponse<byte[]> resp = kind == 0 ? h.post("/v1/traces", "application/x-protobuf", null, body)
          : kind == 1 ? h.post("/v1/logs", "application/json", null, body)
          : h.post("/v1/traces", "application/x-protobuf", "gzip", body);
      assertThat(resp.statusCode())
          .as("round %d (seed %d, kind %d) body %s", i, SEED, kind, Arrays.toString(body))
          .isBetween(200, 499);
    }
    HttpResponse<byte[]> ok = h.post("/v1/traces", "application/x-protobuf", null, proto);
    assertThat(ok.statusCode()).isEqualTo(200);
  }

  /** The same mutations over gRPC: every call ends OK or INVALID_ARGUMENT, never hangs. */
  @Test
  void mutatedGrpcMessagesGetOkOrInvalidArgument() {
    Random r = new Random(SEED + 1);
    byte[] proto = TestData.spans(5).toByteArray();
    io.grpc.MethodDescriptor<byte[], byte[]> raw = io.opentelemetry.proto.collector.trace.v1
        .TraceServiceGrpc.getExportMethod().toBuilder(RawBytes.INSTANCE, RawBytes.INSTANCE).build();
    for (int i = 0; i < ROUNDS / 2; i++) {
      byte[] body = mutate(proto, r);
      io.grpc.Status.Code code;
      try {
        io.grpc.stub.ClientCalls.blockingUnaryCall(h.channel, raw,
            io.grpc.CallOptions.DEFAULT.withDeadlineAfter(5, java.util.concurrent.TimeUnit.SECONDS),
            body);
        code = io.grpc.Status.Code.OK;
      } catch (io.grpc.StatusRuntimeException e) {
        code = e.getStatus().getCode();
      }
      assertThat(code).as("round %d (seed %d) body %s", i, SEED + 1, Arrays.toString(body))
          .isIn(io.grpc.Status.Code.OK, io.grpc.Status.Code.INVALID_ARGUMENT);
    }
  }

  /** Sends bytes as they are. */
  private enum RawBytes implements io.grpc.MethodDescriptor.Marshaller<byte[]> {
    INSTANCE;

    @Override
    public java.io.InputStream stream(byte[] value) {
      return new java.io.ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(java.io.InputStream stream) {
      try {
        return stream.readAllBytes();
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
  }
}
