package io.vigil.receiver.alertmanager;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.vigil.core.ConsumeException;
import io.vigil.pdata.AnomalyRecord;
import io.vigil.testing.ConfigTestdata;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AlertmanagerWebhookTest {

  private WebhookHarness h;

  @AfterEach
  void close() {
    if (h != null) {
      h.close();
    }
  }

  private static AnyValue attr(LogRecord r, String key) {
    return r.getAttributesList().stream().filter(kv -> kv.getKey().equals(key))
        .map(KeyValue::getValue).findFirst().orElse(null);
  }

  private static long nanos(String t) {
    Instant i = Instant.parse(t);
    return i.getEpochSecond() * 1_000_000_000L + i.getNano();
  }

  @Test
  void eachAlertBecomesAnAnomalyRecordOfItsService() throws Exception {
    h = new WebhookHarness("");
    HttpResponse<String> resp = h.post(ConfigTestdata.yaml("firing.json"));
    assertThat(resp.statusCode()).as(resp.body()).isEqualTo(200);
    List<ResourceLogs> rls = h.logs.batches().get(0).getResourceLogsList();
    assertThat(rls).hasSize(2);

    LogRecord firing = rls.get(0).getScopeLogs(0).getLogRecords(0);
    assertThat(rls.get(0).getResource().getAttributes(0).getValue().getStringValue())
        .as("service from the job label").isEqualTo("orders");
    assertThat(attr(firing, AnomalyRecord.KIND).getStringValue()).isEqualTo("alertmanager");
    assertThat(attr(firing, AnomalyRecord.SOURCE).getStringValue()).isEqualTo("alerts");
    assertThat(attr(firing, AnomalyRecord.SERIES).getStringValue()).isEqualTo("HighErrorRate");
    assertThat(attr(firing, AnomalyRecord.SCORE).getDoubleValue()).isEqualTo(1.0);
    assertThat(attr(firing, AnomalyRecord.RESOLVED).getBoolValue()).isFalse();
    assertThat(attr(firing, AnomalyRecord.WINDOW_START).getIntValue())
        .isEqualTo(nanos("2026-11-28T07:00:00.123456789Z"));
    assertThat(attr(firing, AnomalyRecord.WINDOW_END).getIntValue())
        .as("a firing alert's window ends where it starts, so repeats are one key")
        .isEqualTo(nanos("2026-11-28T07:00:00.123456789Z"));
    assertThat(firing.getSeverityNumber()).isEqualTo(SeverityNumber.SEVERITY_NUMBER_FATAL);
    assertThat(firing.getBody().getStringValue()).isEqualTo("HighErrorRate: orders returns 5xx"
        + " — 12% of requests fail — runbook_url: http://wiki/runbooks/5xx");
    assertThat(attr(firing, "alertmanager.labels.instance").getStringValue())
        .isEqualTo("orders-0");
    assertThat(attr(firing, "alertmanager.fingerprint").getStringValue())
        .isEqualTo("c0ffee0123456789");

    LogRecord resolved = rls.get(1).getScopeLogs(0).getLogRecords(0);
    assertThat(attr(resolved, "service.name").getStringValue())
        .as("the service label wins over the common job label").isEqualTo("billing");
    assertThat(attr(resolved, AnomalyRecord.RESOLVED).getBoolValue()).isTrue();
    assertThat(attr(resolved, AnomalyRecord.SCORE).getDoubleValue()).isEqualTo(0.5);
    assertThat(attr(resolved, AnomalyRecord.WINDOW_START).getIntValue())
        .as("offsets are honoured").isEqualTo(nanos("2026-11-28T05:00:00Z"));
    assertThat(attr(resolved, AnomalyRecord.WINDOW_END).getIntValue())
        .isEqualTo(nanos("2026-11-28T06:30:00Z"));
    assertThat(resolved.getBody().getStringValue()).isEqualTo("[resolved] DiskFull");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "{\"version\":\"4\",                             | body is not valid JSON",
    "[1,2]                                           | body must be a JSON object",
    "{\"version\":\"3\",\"alerts\":[]}               | version: expected \"4\"",
    "{\"version\":4,\"alerts\":[]}                   | version: must be a string, got number",
    "{\"version\":\"4\"}                             | alerts: required, an array",
    "{\"version\":\"4\",\"alerts\":[{\"status\":\"firing\",\"labels\":{},\"startsAt\":\"2026-01-01T00:00:00Z\"}]} | alerts[0].labels.alertname: required",
    "{\"version\":\"4\",\"alerts\":[{\"status\":\"firing\",\"labels\":{\"alertname\":\"A\"},\"startsAt\":\"yesterday\"}]} | alerts[0].startsAt: expected an RFC 3339 time, got \"yesterday\"",
    "{\"version\":\"4\",\"alerts\":[{\"status\":\"on\",\"labels\":{\"alertname\":\"A\"},\"startsAt\":\"2026-01-01T00:00:00Z\"}]} | alerts[0].status: expected \"firing\" or \"resolved\"",
    "{\"version\":\"4\",\"alerts\":[{\"status\":\"resolved\",\"labels\":{\"alertname\":\"A\"},\"startsAt\":\"2026-01-01T00:00:00Z\"}]} | alerts[0].endsAt: required on a resolved alert",
    "{\"version\":\"4\",\"alerts\":[{\"status\":\"firing\",\"labels\":{\"alertname\":\"A\",\"n\":1},\"startsAt\":\"2026-01-01T00:00:00Z\"}]} | alerts[0].labels.n: must be a string, got number",
  })
  void badPayloadIs400NamingTheProblem(String body, String message) throws Exception {
    h = new WebhookHarness("");
    HttpResponse<String> resp = h.post(body);
    assertThat(resp.statusCode()).isEqualTo(400);
    assertThat(resp.body()).contains("\"status\":400").contains(message.replace("\"", "\\\""));
    assertThat(h.logs.batchCount()).isZero();
  }

  @Test
  void wrongOrMissingTokenIs401AndTheRightOneIsAccepted() throws Exception {
    h = new WebhookHarness("s3cret");
    byte[] body = ConfigTestdata.yaml("firing.json").getBytes();
    assertThat(h.post(body, null).statusCode()).isEqualTo(401);
    assertThat(h.post(body, "Bearer wrong").statusCode()).isEqualTo(401);
    assertThat(h.logs.batchCount()).isZero();
    assertThat(h.post(body, "Bearer s3cret").statusCode()).isEqualTo(200);
    assertThat(h.logs.batchCount()).isOne();
  }

  @Test
  void retryableRefusalIs503SoAlertmanagerRetries() throws Exception {
    h = new WebhookHarness("");
    h.logs.refuseWith(ConsumeException.retryable("queue is full"));
    HttpResponse<String> resp = h.post(ConfigTestdata.yaml("firing.json"));
    assertThat(resp.statusCode()).isEqualTo(503);
    assertThat(resp.headers().firstValue("Retry-After")).isPresent();
    assertThat(resp.body()).contains("queue is full");
  }

  @Test
  void oversizedBodyIs413() throws Exception {
    h = new WebhookHarness("");
    assertThat(h.post(new byte[128 * 1024], null).statusCode()).isEqualTo(413);
  }
}
