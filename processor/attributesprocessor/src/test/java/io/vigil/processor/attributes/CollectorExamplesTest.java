package io.vigil.processor.attributes;

import static io.vigil.processor.attributes.SpanRequests.attributes;
import static io.vigil.processor.attributes.SpanRequests.kv;
import static io.vigil.processor.attributes.SpanRequests.request;
import static io.vigil.processor.attributes.SpanRequests.span;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Message;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.vigil.core.Signal;
import io.vigil.core.component.ComponentId;
import io.vigil.core.component.ComponentKind;
import io.vigil.core.component.ComponentSettings;
import io.vigil.core.config.GatewayConfig;
import io.vigil.core.telemetry.GatewayTelemetry;
import io.vigil.testing.ConfigTestdata;
import io.vigil.testing.RecordingConsumer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Collector's own testdata configs (collector-examples.yaml), on the spans its comments
 * describe, with the outcome those comments document.
 */
class CollectorExamplesTest {

  static <T extends Message> T run(String id, Signal<T> signal, T request) {
    GatewayConfig c = ConfigTestdata.load("collector-examples.yaml");
    ComponentId cid = ComponentId.parse(id);
    AttributesConfig cfg = (AttributesConfig) c.component(ComponentKind.PROCESSOR, cid).config();
    RecordingConsumer<T> out = new RecordingConsumer<>();
    new AttributesProcessorFactory()
        .create(new ComponentSettings(ComponentKind.PROCESSOR, cid, new GatewayTelemetry()), cfg,
            signal, out)
        .consume(request).join();
    assertThat(out.batches()).hasSize(1);
    return out.batches().get(0);
  }

  @Test
  void excludeMultiLeavesTheMatchingSpansAlone() {
    ExportTraceServiceRequest out = run("attributes/excludemulti", Signal.TRACES, request(List.of(
        Map.entry("svcB", span("s1", "env", "dev", "test_request", 123, "credit_card", 1234)),
        Map.entry("svcA", span("s2", "env", "dev", "test_request", false)),
        Map.entry("svcB", span("s3", "env", 1, "test_request", "dev", "credit_card", 1234)),
        Map.entry("svcC", span("s4", "env", "dev", "test_request", false, "duplicate_key", "x")))));
    assertThat(attributes(out)).containsExactly(
        Map.of("env", "dev", "test_request", 123L, "credit_card", 1234L),
        Map.of("env", "dev", "test_request", false),
        Map.of("env", 1L, "test_request", "dev"),
        Map.of("env", "dev", "test_request", false));
  }

  @Test
  void selectiveProcessingTellsAStringFromABoolean() {
    ExportTraceServiceRequest out = run("attributes/selectiveprocessing", Signal.TRACES, request(List.of(
        Map.entry("svcB", span("s1", "env", "production", "test_request", 123, "credit_card", 1234,
            "redact_trace", "false")),
        Map.entry("svcA", span("s2", "env", "staging", "test_request", false, "redact_trace", true,
            "duplicate_key", 1)),
        Map.entry("svcB", span("s3", "env", "production", "test_request", true, "credit_card", 1234,
            "redact_trace", false)),
        Map.entry("svcC", span("s4", "env", "dev", "test_request", false, "credit_card", 1)))));
    assertThat(attributes(out)).containsExactly(
        Map.of("env", "production", "test_request", 123L, "redact_trace", "false"),
        Map.of("env", "staging", "test_request", false, "redact_trace", true),
        Map.of("env", "production", "test_request", true, "credit_card", 1234L, "redact_trace", false),
        Map.of("env", "dev", "test_request", false, "credit_card", 1L));
  }

  @Test
  void complexBackfillsCopiesAndDeletesInOrder() {
    ExportTraceServiceRequest out = run("attributes/complex", Signal.TRACES, request(List.of(
        Map.entry("svc", span("s1", "timeout", 10, "svc.operation", "addition", "operation", "addition")),
        Map.entry("svc", span("s2", "operation", "subtract", "math_value", 123)),
        Map.entry("svc", span("s3", "timeout", 10, "math_value", 4)),
        Map.entry("svc", span("s4", "svc.operation", "division", "timeout", 3)))));
    assertThat(attributes(out)).containsExactly(
        Map.of("timeout", 10L, "svc.operation", "addition"),
        Map.of("svc.operation", "subtract", "math_value", 123L),
        Map.of("svc.operation", "default", "timeout", 10L, "math_value", 4L),
        Map.of("svc.operation", "default", "timeout", 3L));
  }

  @Test
  void exampleRunsItsActionsInOrder() {
    ExportTraceServiceRequest out = run("attributes/example", Signal.TRACES, request(List.of(
        Map.entry("svc", span("s", "db.table", "users", "key_original", "k", "copy_key", "old",
            "account_password", "hunter2")))));
    assertThat(attributes(out)).containsExactly(Map.of("key_original", "k", "copy_key", "k",
        "redacted_span", true, "account_id", 2245L));
  }

  @Test
  void regexpIncludesAuthServicesExceptLoginSpans() {
    ExportTraceServiceRequest out = run("attributes/regexp", Signal.TRACES, request(List.of(
        Map.entry("auth-api", span("verify", "password", "p", "token", "t")),
        Map.entry("auth-api", span("login-form", "password", "p", "token", "t")),
        Map.entry("billing", span("verify", "password", "p", "token", "t")))));
    assertThat(attributes(out)).containsExactly(
        Map.of("password", "obfuscated"),
        Map.of("password", "p", "token", "t"),
        Map.of("password", "p", "token", "t"));
  }

  @Test
  void excludeLibraryMatchesNameAndVersion() {
    ExportTraceServiceRequest in = ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(ResourceSpans.newBuilder()
            .addScopeSpans(ScopeSpans.newBuilder()
                .setScope(InstrumentationScope.newBuilder().setName("mongo-java-driver").setVersion("3.8.0"))
                .addSpans(span("a", "credit_card", 1)))
            .addScopeSpans(ScopeSpans.newBuilder()
                .setScope(InstrumentationScope.newBuilder().setName("mongo-java-driver").setVersion("4.0"))
                .addSpans(span("b", "credit_card", 1))))
        .build();
    assertThat(attributes(run("attributes/excludelibrary", Signal.TRACES, in)))
        .containsExactly(Map.of("credit_card", 1L), Map.of());
  }

  @Test
  void excludeResourcesMatchesResourceAttributes() {
    ExportTraceServiceRequest in = ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(ResourceSpans.newBuilder()
            .setResource(Resource.newBuilder().addAttributes(kv("host.type", "n1-standard-1")))
            .addScopeSpans(ScopeSpans.newBuilder().addSpans(span("a", "credit_card", 1))))
        .addResourceSpans(ResourceSpans.newBuilder()
            .setResource(Resource.newBuilder().addAttributes(kv("host.type", "e2-small")))
            .addScopeSpans(ScopeSpans.newBuilder().addSpans(span("b", "credit_card", 1))))
        .build();
    assertThat(attributes(run("attributes/excluderesources", Signal.TRACES, in)))
        .containsExactly(Map.of("credit_card", 1L), Map.of());
  }

  @Test
  void logBodyAndSeverityTextSelectLogRecords() {
    ExportLogsServiceRequest in = logs(
        LogRecord.newBuilder().setBody(AnyValue.newBuilder().setStringValue("AUTH failed for bob"))
            .setSeverityText("debug").addAttributes(kv("password", "p")).addAttributes(kv("token", "t")).build(),
        LogRecord.newBuilder().setBody(AnyValue.newBuilder().setStringValue("order placed"))
            .setSeverityText("info").addAttributes(kv("password", "p")).addAttributes(kv("token", "t")).build());
    assertThat(logAttributes(run("attributes/log_body_regexp", Signal.LOGS, in))).containsExactly(
        Map.of("password", "obfuscated"), Map.of("password", "p", "token", "t"));
    assertThat(logAttributes(run("attributes/log_severity_regexp", Signal.LOGS, in))).containsExactly(
        Map.of("password", "obfuscated"), Map.of("password", "p", "token", "t"));
  }

  @Test
  void fromContextHasNoValueSoNothingIsInserted() {
    ExportTraceServiceRequest in = request(List.of(Map.entry("svc", span("s", "a", 1))));
    assertThat(run("attributes/from_context", Signal.TRACES, in)).isSameAs(in);
  }

  @Test
  void aRequestNoActionChangesIsHandedOnAsTheSameObject() {
    ExportTraceServiceRequest in = request(List.of(
        Map.entry("svc", span("s1", "x", 1)), Map.entry("svc", span("s2", "db.secret", "redacted"))));
    assertThat(run("attributes/update", Signal.TRACES, in)).isSameAs(in);
    assertThat(run("attributes/delete", Signal.TRACES, in)).isSameAs(in);
    assertThat(run("attributes/hash", Signal.TRACES, in)).isSameAs(in);
    ExportTraceServiceRequest changed = run("attributes/upsert", Signal.TRACES, in);
    assertThat(changed).isNotSameAs(in);
    assertThat(attributes(changed)).containsExactly(Map.of("x", 1L, "region", "planet-earth"),
        Map.of("db.secret", "redacted", "region", "planet-earth"));
  }

  private static ExportLogsServiceRequest logs(LogRecord... records) {
    return ExportLogsServiceRequest.newBuilder()
        .addResourceLogs(ResourceLogs.newBuilder()
            .addScopeLogs(ScopeLogs.newBuilder().addAllLogRecords(List.of(records))))
        .build();
  }

  private static List<Map<String, Object>> logAttributes(ExportLogsServiceRequest r) {
    return r.getResourceLogsList().stream().flatMap(rl -> rl.getScopeLogsList().stream())
        .flatMap(sl -> sl.getLogRecordsList().stream())
        .map(l -> SpanRequests.plain(l.getAttributesList())).toList();
  }
}
