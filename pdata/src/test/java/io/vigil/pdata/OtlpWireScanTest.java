package io.vigil.pdata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogram;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.metrics.v1.Summary;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Random;
import java.util.function.ToIntFunction;
import org.junit.jupiter.api.Test;

/**
 * Holds the scan to the parser: on valid requests of every signal, and on thousands of mutated
 * and random ones, the scan refuses exactly what {@code parseFrom} refuses and counts what the
 * decoded request holds.
 */
class OtlpWireScanTest {

  private final Random random = new Random(20261128);

  private ByteString bytes(int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return ByteString.copyFrom(b);
  }

  private AnyValue value(int depth) {
    switch (depth > 2 ? random.nextInt(4) : random.nextInt(6)) {
      case 0:
        return AnyValue.newBuilder().setStringValue("v" + random.nextInt(1000) + "é").build();
      case 1:
        return AnyValue.newBuilder().setIntValue(random.nextLong()).build();
      case 2:
        return AnyValue.newBuilder().setDoubleValue(random.nextDouble()).build();
      case 3:
        return AnyValue.newBuilder().setBytesValue(bytes(random.nextInt(5))).build();
      case 4:
        return AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder()
            .addValues(value(depth + 1)).addValues(value(depth + 1))).build();
      default:
        return AnyValue.newBuilder().setBoolValue(random.nextBoolean()).build();
    }
  }

  private KeyValue attr() {
    return KeyValue.newBuilder().setKey("k" + random.nextInt(20)).setValue(value(0)).build();
  }

  private Resource resource() {
    return Resource.newBuilder().addAttributes(KeyValue.newBuilder().setKey("service.name")
        .setValue(AnyValue.newBuilder().setStringValue("svc" + random.nextInt(3)))).build();
  }

  private ExportTraceServiceRequest traces(boolean valid) {
    ExportTraceServiceRequest.Builder r = ExportTraceServiceRequest.newBuilder();
    for (int i = 0; i < 1 + random.nextInt(3); i++) {
      ResourceSpans.Builder rs = r.addResourceSpansBuilder().setResource(resource());
      for (int j = 0; j < 1 + random.nextInt(2); j++) {
        ScopeSpans.Builder ss = rs.addScopeSpansBuilder();
        for (int k = 0; k < random.nextInt(5); k++) {
          Span.Builder s = ss.addSpansBuilder().setTraceId(bytes(16)).setSpanId(bytes(8))
              .setName("GET /x").setStartTimeUnixNano(random.nextLong())
              .addAttributes(attr()).addAttributes(attr());
          if (random.nextBoolean()) {
            s.setParentSpanId(bytes(8));
          }
          if (!valid && random.nextInt(4) == 0) {
            s.setSpanId(bytes(random.nextInt(10)));
          }
          if (random.nextBoolean()) {
            s.addEventsBuilder().setName("exception").addAttributes(attr());
          }
        }
      }
    }
    return r.build();
  }

  private ExportLogsServiceRequest logs(boolean valid) {
    ExportLogsServiceRequest.Builder r = ExportLogsServiceRequest.newBuilder();
    ResourceLogs.Builder rl = r.addResourceLogsBuilder().setResource(resource());
    ScopeLogs.Builder sl = rl.addScopeLogsBuilder();
    for (int k = 0; k < random.nextInt(6); k++) {
      LogRecord.Builder l = sl.addLogRecordsBuilder().setBody(value(0))
          .setSeverityNumberValue(random.nextInt(25)).addAttributes(attr());
      if (random.nextBoolean()) {
        l.setTraceId(bytes(16)).setSpanId(bytes(8));
      }
      if (!valid && random.nextInt(4) == 0) {
        l.setTraceId(bytes(random.nextInt(20)));
      }
    }
    return r.build();
  }

  private ExportMetricsServiceRequest metrics() {
    ExportMetricsServiceRequest.Builder r = ExportMetricsServiceRequest.newBuilder();
    ScopeMetrics.Builder sm = r.addResourceMetricsBuilder().setResource(resource())
        .addScopeMetricsBuilder();
    for (int k = 0; k < 1 + random.nextInt(5); k++) {
      Metric.Builder m = sm.addMetricsBuilder().setName("m" + k).setUnit("ms");
      int points = random.nextInt(4);
      switch (random.nextInt(5)) {
        case 0: {
          Gauge.Builder g = m.getGaugeBuilder();
          for (int p = 0; p < points; p++) {
            g.addDataPoints(NumberDataPoint.newBuilder().setAsDouble(random.nextDouble())
                .addAttributes(attr()));
          }
          break;
        }
        case 1: {
          Sum.Builder s = m.getSumBuilder().setIsMonotonic(true);
          for (int p = 0; p < points; p++) {
            s.addDataPoints(NumberDataPoint.newBuilder().setAsInt(random.nextLong()));
          }
          break;
        }
        case 2: {
          Histogram.Builder h = m.getHistogramBuilder();
          for (int p = 0; p < points; p++) {
            h.addDataPoints(HistogramDataPoint.newBuilder().addBucketCounts(1).addBucketCounts(2)
                .addExplicitBounds(0.5));
          }
          break;
        }
        case 3: {
          ExponentialHistogram.Builder h = m.getExponentialHistogramBuilder();
          for (int p = 0; p < points; p++) {
            h.addDataPoints(ExponentialHistogramDataPoint.newBuilder().setScale(3)
                .setPositive(ExponentialHistogramDataPoint.Buckets.newBuilder()
                    .addBucketCounts(4).addBucketCounts(300)));
          }
          break;
        }
        default: {
          Summary.Builder s = m.getSummaryBuilder();
          for (int p = 0; p < points; p++) {
            s.addDataPoints(SummaryDataPoint.newBuilder().setCount(3).addQuantileValues(
                SummaryDataPoint.ValueAtQuantile.newBuilder().setQuantile(0.5)));
          }
        }
      }
    }
    return r.build();
  }

  /** Whatever parseFrom says, the scan says the same; and it counts what was decoded. */
  private <T extends Message> boolean agrees(byte[] bytes, Descriptor type, Parser<T> parser,
      ToIntFunction<T> count, boolean itemsValid) {
    T parsed;
    try {
      parsed = parser.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      assertThatThrownBy(() -> OtlpWireScan.items(type, bytes))
          .as("the parser refused it (%s)", e.getMessage())
          .isInstanceOf(InvalidProtocolBufferException.class);
      return true;
    }
    int scanned;
    try {
      scanned = OtlpWireScan.items(type, bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError("the parser took what the scan refused (" + e.getMessage()
          + "): " + type.getName() + " " + java.util.HexFormat.of().formatHex(bytes), e);
    }
    if (scanned != OtlpWireScan.NEEDS_DECODING) {
      assertThat(scanned).isEqualTo(count.applyAsInt(parsed));
    } else {
      assertThat(itemsValid).as("only a request with bad IDs needs decoding").isFalse();
    }
    return false;
  }

  private static int spans(ExportTraceServiceRequest r) {
    return r.getResourceSpansList().stream().flatMap(rs -> rs.getScopeSpansList().stream())
        .mapToInt(ScopeSpans::getSpansCount).sum();
  }

  private static int logRecords(ExportLogsServiceRequest r) {
    return r.getResourceLogsList().stream().flatMap(rl -> rl.getScopeLogsList().stream())
        .mapToInt(ScopeLogs::getLogRecordsCount).sum();
  }

  private static int points(ExportMetricsServiceRequest r) {
    int n = 0;
    for (ResourceMetrics rm : r.getResourceMetricsList()) {
      for (ScopeMetrics sm : rm.getScopeMetricsList()) {
        for (Metric m : sm.getMetricsList()) {
          n += m.getGauge().getDataPointsCount() + m.getSum().getDataPointsCount()
              + m.getHistogram().getDataPointsCount()
              + m.getExponentialHistogram().getDataPointsCount()
              + m.getSummary().getDataPointsCount();
        }
      }
    }
    return n;
  }

  @Test
  void countsTheItemsOfValidRequestsOfEverySignal() throws Exception {
    for (int i = 0; i < 300; i++) {
      ExportTraceServiceRequest t = traces(true);
      assertThat(OtlpWireScan.items(ExportTraceServiceRequest.getDescriptor(), t.toByteArray()))
          .isEqualTo(spans(t));
      ExportLogsServiceRequest l = logs(true);
      assertThat(OtlpWireScan.items(ExportLogsServiceRequest.getDescriptor(), l.toByteArray()))
          .isEqualTo(logRecords(l));
      ExportMetricsServiceRequest m = metrics();
      assertThat(OtlpWireScan.items(ExportMetricsServiceRequest.getDescriptor(),
          m.toByteArray())).isEqualTo(points(m));
    }
    assertThat(OtlpWireScan.items(ExportTraceServiceRequest.getDescriptor(), new byte[0]))
        .isZero();
  }

  @Test
  void aSpanOrLogRecordWithAnIdOfTheWrongLengthNeedsDecoding() throws Exception {
    byte[] shortSpanId = ExportTraceServiceRequest.newBuilder().addResourceSpans(
        ResourceSpans.newBuilder().addScopeSpans(ScopeSpans.newBuilder().addSpans(
            Span.newBuilder().setTraceId(bytes(16)).setSpanId(bytes(4))))).build().toByteArray();
    assertThat(OtlpWireScan.items(ExportTraceServiceRequest.getDescriptor(), shortSpanId))
        .isEqualTo(OtlpWireScan.NEEDS_DECODING);
    byte[] longTraceId = ExportLogsServiceRequest.newBuilder().addResourceLogs(
        ResourceLogs.newBuilder().addScopeLogs(ScopeLogs.newBuilder().addLogRecords(
            LogRecord.newBuilder().setTraceId(bytes(17))))).build().toByteArray();
    assertThat(OtlpWireScan.items(ExportLogsServiceRequest.getDescriptor(), longTraceId))
        .isEqualTo(OtlpWireScan.NEEDS_DECODING);
  }

  @Test
  void aMetricWhoseDataChangesTypeCountsWhatTheParserKeeps() throws Exception {
    Metric gauge = Metric.newBuilder().setGauge(Gauge.newBuilder()
        .addDataPoints(NumberDataPoint.getDefaultInstance())
        .addDataPoints(NumberDataPoint.getDefaultInstance())).build();
    Metric sum = Metric.newBuilder().setSum(Sum.newBuilder()
        .addDataPoints(NumberDataPoint.getDefaultInstance())).build();
    // The same metric message written as gauge, then sum, then gauge again: concatenation merges.
    ByteArrayOutputStream metric = new ByteArrayOutputStream();
    gauge.writeTo(metric);
    sum.writeTo(metric);
    gauge.writeTo(metric);
    ByteArrayOutputStream request = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(request);
    ByteArrayOutputStream scope = new ByteArrayOutputStream();
    CodedOutputStream so = CodedOutputStream.newInstance(scope);
    so.writeByteArray(ScopeMetrics.METRICS_FIELD_NUMBER, metric.toByteArray());
    so.flush();
    ByteArrayOutputStream resource = new ByteArrayOutputStream();
    CodedOutputStream ro = CodedOutputStream.newInstance(resource);
    ro.writeByteArray(ResourceMetrics.SCOPE_METRICS_FIELD_NUMBER, scope.toByteArray());
    ro.flush();
    out.writeByteArray(ExportMetricsServiceRequest.RESOURCE_METRICS_FIELD_NUMBER,
        resource.toByteArray());
    out.flush();
    byte[] bytes = request.toByteArray();
    ExportMetricsServiceRequest parsed = ExportMetricsServiceRequest.parseFrom(bytes);
    // protobuf-java merges the second gauge into the first, though a sum came between.
    assertThat(points(parsed)).isEqualTo(4);
    assertThat(OtlpWireScan.items(ExportMetricsServiceRequest.getDescriptor(), bytes))
        .isEqualTo(4);
  }

  @Test
  void nestingBeyondTheParsersRecursionLimitIsRefusedLikeTheParserDoes() throws IOException {
    for (int depth : new int[] {90, 94, 95, 96, 97, 98, 99, 100, 101}) {
      AnyValue v = AnyValue.newBuilder().setStringValue("leaf").build();
      for (int i = 0; i < depth; i++) {
        v = AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder().addValues(v)).build();
      }
      byte[] bytes = ExportLogsServiceRequest.newBuilder().addResourceLogs(ResourceLogs
          .newBuilder().addScopeLogs(ScopeLogs.newBuilder().addLogRecords(LogRecord.newBuilder()
              .setBody(v)))).build().toByteArray();
      agrees(bytes, ExportLogsServiceRequest.getDescriptor(), ExportLogsServiceRequest.parser(),
          OtlpWireScanTest::logRecords, true);
    }
  }

  @Test
  void refusesExactlyWhatTheParserRefusesOnMutatedAndRandomBytes() {
    int refused = 0;
    for (int i = 0; i < 4000; i++) {
      int signal = i % 3;
      byte[] bytes = signal == 0 ? traces(i % 2 == 0).toByteArray()
          : signal == 1 ? logs(i % 2 == 0).toByteArray() : metrics().toByteArray();
      bytes = mutate(bytes);
      boolean no;
      if (signal == 0) {
        no = agrees(bytes, ExportTraceServiceRequest.getDescriptor(),
            ExportTraceServiceRequest.parser(), OtlpWireScanTest::spans, false);
      } else if (signal == 1) {
        no = agrees(bytes, ExportLogsServiceRequest.getDescriptor(),
            ExportLogsServiceRequest.parser(), OtlpWireScanTest::logRecords, false);
      } else {
        no = agrees(bytes, ExportMetricsServiceRequest.getDescriptor(),
            ExportMetricsServiceRequest.parser(), OtlpWireScanTest::points, true);
      }
      refused += no ? 1 : 0;
    }
    // The mutations must reach both outcomes, or the comparison proves little.
    assertThat(refused).isBetween(400, 3600);
  }

  private byte[] mutate(byte[] in) {
    if (in.length == 0 || random.nextInt(10) == 0) {
      return bytes(random.nextInt(64)).toByteArray();
    }
    byte[] b = in.clone();
    switch (random.nextInt(5)) {
      case 0: // flip a bit
        b[random.nextInt(b.length)] ^= (byte) (1 << random.nextInt(8));
        return b;
      case 1: // truncate
        return java.util.Arrays.copyOf(b, random.nextInt(b.length));
      case 2: // overwrite a byte
        b[random.nextInt(b.length)] = (byte) random.nextInt(256);
        return b;
      case 3: { // a run of random bytes inserted
        int at = random.nextInt(b.length);
        byte[] ins = bytes(1 + random.nextInt(6)).toByteArray();
        byte[] out = new byte[b.length + ins.length];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(ins, 0, out, at, ins.length);
        System.arraycopy(b, at, out, at + ins.length, b.length - at);
        return out;
      }
      default: // several flips
        for (int k = 0; k < 4; k++) {
          b[random.nextInt(b.length)] ^= (byte) (1 << random.nextInt(8));
        }
        return b;
    }
  }
}
