package io.vigil.processor.logtemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.vigil.core.component.ComponentId;
import io.vigil.core.component.ComponentKind;
import io.vigil.core.component.ComponentSettings;
import io.vigil.core.component.Processor;
import io.vigil.core.config.ConfigException;
import io.vigil.core.telemetry.GatewayTelemetry;
import io.vigil.testing.RecordingConsumer;
import io.vigil.testing.TestData;
import io.vigil.core.Signal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogTemplateProcessorTest {

  @TempDir
  Path dir;

  private static Processor<ExportLogsServiceRequest> processor(LogTemplateConfig c,
      RecordingConsumer<ExportLogsServiceRequest> next) throws Exception {
    new LogTemplateProcessorFactory().validate(c);
    Processor<ExportLogsServiceRequest> p = new LogTemplateProcessorFactory().create(
        new ComponentSettings(ComponentKind.PROCESSOR, ComponentId.of("logtemplate"),
            new GatewayTelemetry()), c, Signal.LOGS, next);
    p.start();
    return p;
  }

  static ExportLogsServiceRequest logs(String service, String... bodies) {
    return TestData.logs(service, bodies);
  }

  static Map<String, String> attributes(LogRecord r) {
    return r.getAttributesList().stream().collect(Collectors.toMap(KeyValue::getKey,
        kv -> kv.getValue().getStringValue(), (a, b) -> b));
  }

  static List<LogRecord> records(ExportLogsServiceRequest r) {
    return r.getResourceLogsList().stream().flatMap(rl -> rl.getScopeLogsList().stream())
        .flatMap(sl -> sl.getLogRecordsList().stream()).toList();
  }

  @Test
  void recordsGetTheirTemplateIdAndText() throws Exception {
    RecordingConsumer<ExportLogsServiceRequest> next = new RecordingConsumer<>();
    var p = processor(new LogTemplateConfig(), next);
    ExportLogsServiceRequest in = logs("checkout", "order 1234 paid in 35 ms",
        "order 998 paid in 12 ms", "cache miss for cart");
    assertThat(p.consume(in)).isCompleted();
    List<LogRecord> out = records(next.batches().get(0));
    assertThat(out).hasSize(3);
    assertThat(attributes(out.get(0))).containsEntry("log.template", "order <*> paid in <*> ms")
        .containsKey("log.template.id");
    assertThat(attributes(out.get(1)).get("log.template.id"))
        .isEqualTo(attributes(out.get(0)).get("log.template.id")).matches("[0-9a-f]{16}");
    assertThat(attributes(out.get(2)).get("log.template.id"))
        .isNotEqualTo(attributes(out.get(0)).get("log.template.id"));
    assertThat(out.get(0).getBody()).isEqualTo(records(in).get(0).getBody());
    assertThat(records(in).get(0).getAttributesList()).as("input untouched").isEmpty();
    p.shutdown(Instant.now().plusSeconds(1));
  }

  @Test
  void recordsWithoutAStringBodyPassUnchanged() throws Exception {
    RecordingConsumer<ExportLogsServiceRequest> next = new RecordingConsumer<>();
    var p = processor(new LogTemplateConfig(), next);
    LogRecord structured = LogRecord.newBuilder().setBody(AnyValue.newBuilder()
        .setKvlistValue(KeyValueList.newBuilder().addValues(KeyValue.newBuilder().setKey("k"))))
        .build();
    ExportLogsServiceRequest in = ExportLogsServiceRequest.newBuilder().addResourceLogs(
        ResourceLogs.newBuilder().addScopeLogs(ScopeLogs.newBuilder().addLogRecords(structured)))
        .build();
    p.consume(in);
    assertThat(next.batches().get(0)).isEqualTo(in);
  }

  @Test
  void templateIdsSurviveARestart() throws Exception {
    LogTemplateConfig c = new LogTemplateConfig();
    c.stateFile = dir.resolve("state/templates.json").toString();
    RecordingConsumer<ExportLogsServiceRequest> first = new RecordingConsumer<>();
    var p1 = processor(c, first);
    p1.consume(logs("a", "disk /dev/sda1 is 91% full", "replica lag is high on node alpha"));
    p1.shutdown(Instant.now().plusSeconds(1));
    assertThat(Path.of(c.stateFile)).exists();

    RecordingConsumer<ExportLogsServiceRequest> second = new RecordingConsumer<>();
    var p2 = processor(c, second);
    p2.consume(logs("a", "replica lag is high on node alpha", "disk /dev/sdb2 is 97% full"));
    p2.shutdown(Instant.now().plusSeconds(1));
    List<LogRecord> before = records(first.batches().get(0));
    List<LogRecord> after = records(second.batches().get(0));
    assertThat(attributes(after.get(0)).get("log.template.id"))
        .isEqualTo(attributes(before.get(1)).get("log.template.id"));
    assertThat(attributes(after.get(1)).get("log.template.id"))
        .isEqualTo(attributes(before.get(0)).get("log.template.id"));
  }

  @Test
  void anUnreadableStateFileIsMovedAsideAndLogsKeepFlowing() throws Exception {
    Path state = dir.resolve("templates.json");
    Files.writeString(state, "{\"version\": 1, \"templates\": [{\"id\": \"zz\"");
    LogTemplateConfig c = new LogTemplateConfig();
    c.stateFile = state.toString();
    RecordingConsumer<ExportLogsServiceRequest> next = new RecordingConsumer<>();
    var p = processor(c, next);
    assertThat(p.consume(logs("a", "still flowing"))).isCompleted();
    assertThat(dir.resolve("templates.json.unreadable")).exists();
    p.shutdown(Instant.now().plusSeconds(1));
    assertThat(Files.readString(state)).contains("[\"still\",\"flowing\"]");
  }

  @Test
  void recordsOfAnIgnoredScopeAreTemplatedButNeverAnomalies() throws Exception {
    LogTemplateConfig c = new LogTemplateConfig();
    c.anomalies.enabled = true;
    c.anomalies.learningPeriod = Duration.ofSeconds(10);
    c.anomalies.learningRecords = 0;
    c.anomalies.ignoreScopes = List.of("io.vigil.demo.faults");
    RecordingConsumer<ExportLogsServiceRequest> next = new RecordingConsumer<>();
    var p = processor(c, next);
    Instant t0 = Instant.parse("2026-03-01T10:00:00Z");
    p.consume(scoped(t0, "com.shop.Payments", "payments started on port 8084"));
    // After the learning period: a new message in the app's scope and one in the ignored one
    // (a sub-scope: io.vigil.demo.faults matches io.vigil.demo.faults.Switches).
    p.consume(scoped(t0.plusSeconds(60), "io.vigil.demo.faults.Switches",
        "Fault error_rate switched on (rate=0.3 for 120s)"));
    p.consume(scoped(t0.plusSeconds(61), "com.shop.Payments", "card declined for order 12"));
    p.consume(scoped(t0.plusSeconds(62), "io.vigil.demo.faultsother",
        "Not a sub-scope: this one is news"));
    p.shutdown(Instant.now().plusSeconds(1));

    List<LogRecord> all = next.batches().stream().flatMap(b -> records(b).stream()).toList();
    List<String> newTemplates = all.stream()
        .filter(r -> r.getEventName().equals(io.vigil.pdata.AnomalyRecord.LOG_EVENT))
        .map(r -> attributes(r).get("log.template")).toList();
    assertThat(newTemplates).containsExactly("card declined for order <*>",
        "Not a sub-scope: this one is news");
    assertThat(all).filteredOn(r -> r.getBody().getStringValue().startsWith("Fault"))
        .singleElement().satisfies(r -> assertThat(attributes(r)).containsKey("log.template.id"));
  }

  private static ExportLogsServiceRequest scoped(Instant at, String scope, String body) {
    long nanos = at.getEpochSecond() * 1_000_000_000L;
    return ExportLogsServiceRequest.newBuilder().addResourceLogs(ResourceLogs.newBuilder()
        .setResource(io.opentelemetry.proto.resource.v1.Resource.newBuilder().addAttributes(
            KeyValue.newBuilder().setKey("service.name")
                .setValue(AnyValue.newBuilder().setStringValue("payments"))))
        .addScopeLogs(ScopeLogs.newBuilder()
            .setScope(io.opentelemetry.proto.common.v1.InstrumentationScope.newBuilder()
                .setName(scope))
            .addLogRecords(LogRecord.newBuilder().setTimeUnixNano(nanos)
                .setSeverityNumber(io.opentelemetry.proto.logs.v1.SeverityNumber.SEVERITY_NUMBER_WARN)
                .setBody(AnyValue.newBuilder().setStringValue(body))))).build();
  }

  @Test
  void badConfigNamesTheKey() {
    LogTemplateConfig c = new LogTemplateConfig();
    c.similarityThreshold = 1.5;
    assertThatThrownBy(() -> new LogTemplateProcessorFactory().validate(c))
        .isInstanceOf(ConfigException.class).hasMessageContaining("similarity_threshold");
    LogTemplateConfig d = new LogTemplateConfig();
    d.anomalies.window = Duration.ZERO;
    assertThatThrownBy(() -> new LogTemplateProcessorFactory().validate(d))
        .hasMessageContaining("anomalies::window");
    LogTemplateConfig e = new LogTemplateConfig();
    e.anomalies.learningRecords = -1;
    assertThatThrownBy(() -> new LogTemplateProcessorFactory().validate(e))
        .hasMessageContaining("anomalies::learning_records");
  }
}
