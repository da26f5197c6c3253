package io.vigil.processor.redaction;

import static io.vigil.processor.redaction.Records.attrs;
import static io.vigil.processor.redaction.Records.num;
import static io.vigil.processor.redaction.Records.str;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import com.google.protobuf.Message;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.vigil.core.Signal;
import io.vigil.core.component.ComponentId;
import io.vigil.core.component.ComponentKind;
import io.vigil.core.component.ComponentSettings;
import io.vigil.core.component.Processor;
import io.vigil.core.telemetry.GatewayTelemetry;
import io.vigil.testing.Metrics;
import io.vigil.testing.RecordingConsumer;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RedactionProcessorTest {

  private final GatewayTelemetry telemetry = new GatewayTelemetry();

  private <T extends Message> T run(RedactionConfig c, Signal<T> signal, T request)
      throws Exception {
    new RedactionProcessorFactory().validate(c);
    RecordingConsumer<T> next = new RecordingConsumer<>();
    Processor<T> p = new RedactionProcessorFactory().create(new ComponentSettings(
        ComponentKind.PROCESSOR, ComponentId.of("redaction"), telemetry), c, signal, next);
    p.consume(request).get(5, TimeUnit.SECONDS);
    return next.batches().get(0);
  }

  private static RedactionConfig presets() {
    RedactionConfig c = new RedactionConfig();
    c.allowAllKeys = true;
    c.blockedValuePresets = List.of("credit_card", "email", "bearer_token", "aws_access_key");
    return c;
  }

  /** Realistic values in, what leaves the gateway out. */
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "card paid with 4111 1111 1111 1111 ok          | card paid with **** ok",
    "pan=4111-1111-1111-1111                          | pan=****",
    "order 4111111111111112 (fails Luhn) stays        | order 4111111111111112 (fails Luhn) stays",
    "amex 378282246310005, mc 5555555555554444        | amex ****, mc ****",
    "unix ms 1732780800123 is not a card              | unix ms 1732780800123 is not a card",
    "mail jane.doe+shop@example.co.uk now             | mail **** now",
    "Authorization: Bearer eyJhbGciOi.eyJzdWIi.sig_-x | Authorization: Bearer ****",
    "key AKIAIOSFODNN7EXAMPLE used                    | key **** used",
    "temp ASIAXYZ1234567890ABC                        | temp ****",
    "nothing secret here                              | nothing secret here",
  })
  void presetsMaskSecretsInAttributesAndLogBodies(String in, String out) throws Exception {
    ExportTraceServiceRequest traced = run(presets(), Signal.TRACES,
        Records.span(str("note", in)));
    assertThat(attrs(traced)).containsEntry("note", out);
    ExportLogsServiceRequest logged = run(presets(), Signal.LOGS, Records.log(in));
    assertThat(Records.logRecord(logged).getBody().getStringValue()).isEqualTo(out);
  }

  @Test
  void collectorRulesRemoveMaskIgnoreAndSummarize() throws Exception {
    RedactionConfig c = new RedactionConfig();
    c.allowedKeys = List.of("id", "name", "description", "api_token");
    c.ignoredKeys = List.of("safe_attribute");
    c.blockedKeyPatterns = List.of(".*token.*");
    c.blockedValues = List.of("4[0-9]{12}(?:[0-9]{3})?");
    c.allowedValues = List.of(".+@mycompany.com");
    c.summary = "debug";
    ExportTraceServiceRequest out = run(c, Signal.TRACES, Records.span(
        str("id", "42"),
        str("name", "ops@mycompany.com"),
        str("description", "card 4111111111111111 on file"),
        str("api_token", "abc123"),
        str("safe_attribute", "4111111111111111"),
        str("user.email", "jane@example.com"),
        str("client.ip", "10.1.2.3")));
    assertThat(attrs(out)).containsExactly(
        entry("id", "42"),
        entry("name", "ops@mycompany.com"),
        entry("description", "card **** on file"),
        entry("api_token", "****"),
        entry("safe_attribute", "4111111111111111"),
        entry("redaction.redacted.keys", "client.ip,user.email"),
        entry("redaction.redacted.count", 2L),
        entry("redaction.masked.keys", "api_token,description"),
        entry("redaction.masked.count", 2L),
        entry("redaction.ignored.count", 1L));
    assertThat(Metrics.value(telemetry, "vigil_processor_redaction_values", "action", "removed"))
        .isEqualTo(2.0);
    assertThat(Metrics.value(telemetry, "vigil_processor_redaction_values", "action", "masked"))
        .isEqualTo(2.0);
  }

  @Test
  void defaultConfigFailsClosedRemovingEveryAttribute() throws Exception {
    RedactionConfig c = new RedactionConfig();
    c.summary = "info";
    ExportMetricsServiceRequest out = run(c, Signal.METRICS,
        Records.point(str("user.id", "u-77"), str("region", "eu")));
    assertThat(attrs(out)).containsExactly(entry("redaction.redacted.count", 2L));
  }

  @Test
  void redactAllTypesAndHashFunction() throws Exception {
    RedactionConfig c = new RedactionConfig();
    c.allowAllKeys = true;
    c.redactAllTypes = true;
    c.blockedValues = List.of("4[0-9]{12}(?:[0-9]{3})?");
    c.hashFunction = "md5";
    ExportTraceServiceRequest out = run(c, Signal.TRACES,
        Records.span(num("card", 4111111111111111L), num("qty", 3)));
    // The int became the hex MD5 of its text; the int without a match stays an int.
    assertThat(attrs(out)).containsExactly(
        entry("card", md5("4111111111111111")),
        entry("qty", 3L));
  }

  @Test
  void unchangedRequestsPassAsTheSameInstance() throws Exception {
    ExportTraceServiceRequest in = Records.span(str("note", "nothing here"));
    assertThat(run(presets(), Signal.TRACES, in)).isSameAs(in);
    ExportLogsServiceRequest log = Records.log("plain body", str("k", "v"));
    assertThat(run(presets(), Signal.LOGS, log)).isSameAs(log);
  }

  @Test
  void logAttributesAndBodyCountedTogether() throws Exception {
    RedactionConfig c = presets();
    c.summary = "debug";
    ExportLogsServiceRequest out = run(c, Signal.LOGS,
        Records.log("login by jane@example.com", str("user.email", "jane@example.com")));
    assertThat(attrs(Records.logRecord(out).getAttributesList())).containsExactly(
        entry("user.email", "****"),
        entry("redaction.masked.keys", "body,user.email"),
        entry("redaction.masked.count", 2L));
  }

  private static String md5(String s) throws Exception {
    return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("MD5")
        .digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
  }
}
