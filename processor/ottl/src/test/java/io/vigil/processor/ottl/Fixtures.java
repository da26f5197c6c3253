package io.vigil.processor.ottl;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.HexFormat;

/** One record of each context, as builders, with the values the expression table reads. */
final class Fixtures {
  final Resource.Builder resource = Resource.newBuilder()
      .addAttributes(kv("service.name", str("checkout")))
      .addAttributes(kv("host.name", str("web-1")))
      .addAttributes(kv("deployment.environment", str("prod")));
  final InstrumentationScope.Builder scope = InstrumentationScope.newBuilder()
      .setName("io.vigil.test").setVersion("1.2.0");
  final Span.Builder span = Span.newBuilder()
      .setName("GET /api/orders")
      .setKind(Span.SpanKind.SPAN_KIND_SERVER)
      .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR).setMessage("boom"))
      .setTraceId(hex("5b8efff798038103d269b633813fc60c"))
      .setSpanId(hex("eee19b7ec3c1b174"))
      .setStartTimeUnixNano(1000)
      .setEndTimeUnixNano(3500)
      .addAttributes(kv("http.method", str("GET")))
      .addAttributes(kv("http.status_code", AnyValue.newBuilder().setIntValue(503).build()))
      .addAttributes(kv("http.route", str("/api/orders/{id}")))
      .addAttributes(kv("retry", AnyValue.newBuilder().setBoolValue(true).build()))
      .addAttributes(kv("ratio", AnyValue.newBuilder().setDoubleValue(0.25).build()))
      .addAttributes(kv("tags", AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder()
          .addValues(str("a")).addValues(str("b"))).build()))
      .addAttributes(kv("nested", map(kv("user", map(kv("id", str("u1")), kv("tier", str("gold")))))))
      .addAttributes(kv("payload", str("{\"a\":1,\"b\":[1,2]}")))
      .addAttributes(kv("process.command_line", str("run --password=secret --x")));
  final Span.Event.Builder event = Span.Event.newBuilder().setName("exception")
      .addAttributes(kv("exception.type", str("java.io.IOException")));
  final NumberDataPoint.Builder point = NumberDataPoint.newBuilder().setAsDouble(12.5)
      .addAttributes(kv("http.method", str("GET")));
  final Metric.Builder metric = Metric.newBuilder().setName("http.server.duration").setUnit("ms")
      .setSum(Sum.newBuilder().setIsMonotonic(true)
          .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE));
  final LogRecord.Builder log = LogRecord.newBuilder()
      .setBody(str("request failed: password=hunter2"))
      .setSeverityNumber(SeverityNumber.SEVERITY_NUMBER_WARN)
      .setSeverityText("WARN")
      .addAttributes(kv("http.route", str("/user/42/list/7")));

  /** The context of {@code kind}, over these builders. */
  RecordContext context(OttlContext kind) {
    RecordContext c = new RecordContext().resource(resource).scope(scope);
    return switch (kind) {
      case RESOURCE, SCOPE -> c;
      case SPAN -> c.span(span);
      case SPANEVENT -> c.span(span).spanEvent(event);
      case METRIC -> c.metric(metric);
      case DATAPOINT -> c.metric(metric).dataPoint(point);
      case LOG -> c.log(log);
    };
  }

  static KeyValue kv(String k, AnyValue v) {
    return KeyValue.newBuilder().setKey(k).setValue(v).build();
  }

  static AnyValue str(String s) {
    return AnyValue.newBuilder().setStringValue(s).build();
  }

  static AnyValue map(KeyValue... kvs) {
    return AnyValue.newBuilder().setKvlistValue(KeyValueList.newBuilder().addAllValues(java.util.List.of(kvs)))
        .build();
  }

  static ByteString hex(String h) {
    return ByteString.copyFrom(HexFormat.of().parseHex(h));
  }
}
