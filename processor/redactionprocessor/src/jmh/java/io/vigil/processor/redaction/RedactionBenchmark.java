package io.vigil.processor.redaction;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.vigil.core.component.ComponentId;
import io.vigil.core.telemetry.GatewayTelemetry;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Cost per log record of the redaction processor with every preset on: 100 records of 8
 * attributes and a body each, with ({@code secrets=true}) or without secrets to mask. Divide the
 * score by 100 for the cost per record.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class RedactionBenchmark {

  @Param({"false", "true"})
  public boolean secrets;

  private LogsRedaction redaction;
  private ExportLogsServiceRequest request;

  @Setup
  public void setUp() {
    RedactionConfig c = new RedactionConfig();
    c.allowAllKeys = true;
    c.blockedValuePresets = List.of("credit_card", "email", "bearer_token", "aws_access_key");
    c.summary = "info";
    redaction = new LogsRedaction(new Redactor(c), new RedactionCounts(
        new GatewayTelemetry().registry(), ComponentId.of("redaction").toString(), "logs"));
    ScopeLogs.Builder scope = ScopeLogs.newBuilder();
    for (int i = 0; i < 100; i++) {
      LogRecord.Builder r = LogRecord.newBuilder().setBody(AnyValue.newBuilder().setStringValue(
          secrets ? "payment by jane.doe@example.com card 4111 1111 1111 1111 ok"
              : "payment accepted for order 8812 in 231 ms"));
      for (int k = 0; k < 8; k++) {
        r.addAttributes(KeyValue.newBuilder().setKey("attr." + k).setValue(AnyValue.newBuilder()
            .setStringValue(secrets && k == 3 ? "Bearer eyJhbGciOi.eyJzdWIi.sig" : "value-" + k)));
      }
      scope.addLogRecords(r);
    }
    request = ExportLogsServiceRequest.newBuilder()
        .addResourceLogs(ResourceLogs.newBuilder().addScopeLogs(scope)).build();
  }

  @Benchmark
  public ExportLogsServiceRequest hundredRecords() {
    return redaction.apply(request);
  }
}
