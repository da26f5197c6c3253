package io.vigil.exporter.prometheustranslator;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.exporter.prometheustranslator.PrometheusNames.Type;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PrometheusNamesTest {

  @ParameterizedTest(name = "{0} [{1}] {2} -> {3}")
  @CsvSource(delimiter = '|', value = {
    "http.server.request.duration | s           | HISTOGRAM | http_server_request_duration_seconds",
    "http.server.requests         | {request}   | COUNTER   | http_server_requests",
    "requests_total               | 1           | COUNTER   | requests",
    "jvm.memory.used              | By          | GAUGE     | jvm_memory_used_bytes",
    "cpu.utilization              | 1           | GAUGE     | cpu_utilization_ratio",
    "throughput                   | By/s        | GAUGE     | throughput_bytes_per_second",
    "packets                      | {packet}/s  | GAUGE     | packets_per_second",
    "my-app.cache..hits           | ''          | COUNTER   | my_app_cache_hits",
    "2xx responses                | ''          | GAUGE     | _2xx_responses",
    "duration_seconds             | s           | HISTOGRAM | duration_seconds",
    "latency                      | ms          | HISTOGRAM | latency_milliseconds",
    "temp                         | Cel         | GAUGE     | temp_celsius",
    "weird                        | furlongs    | GAUGE     | weird_furlongs",
  })
  void followsTheOtelToPrometheusRules(String otlp, String unit, Type type, String expected) {
    assertThat(PrometheusNames.familyName("", otlp, unit, type, true)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({"http.route,http_route", "2fa,key_2fa", "_private,key_private", "__meta,__meta",
      "k8s.pod.name,k8s_pod_name", "ünïcode,key_n_code"})
  void sanitisesLabelNames(String key, String expected) {
    assertThat(PrometheusNames.label(key)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({"s,seconds", "ms,milliseconds", "By,bytes", "{request},''", "1,''", "1/s,per_second",
      "KiBy,kibibytes", "m/s,meters_per_second"})
  void unitWords(String unit, String words) {
    assertThat(UnitWords.suffix(unit)).isEqualTo(words);
  }

  @org.junit.jupiter.api.Test
  void namespaceAndSuffixesCanBeTurnedOff() {
    assertThat(PrometheusNames.familyName("vigil", "queue.size", "By", Type.GAUGE, true))
        .isEqualTo("vigil_queue_size_bytes");
    assertThat(PrometheusNames.familyName("", "queue.size", "By", Type.GAUGE, false))
        .isEqualTo("queue_size");
    assertThat(PrometheusNames.seriesName("calls", Type.COUNTER)).isEqualTo("calls_total");
  }
}
