package io.vigil.exporter.prometheusremotewrite;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.vigil.exporter.prometheusremotewrite.prompb.RemoteWrite.Label;
import io.vigil.exporter.prometheusremotewrite.prompb.RemoteWrite.TimeSeries;
import io.vigil.exporter.prometheusremotewrite.prompb.RemoteWrite.WriteRequest;
import java.io.IOException;
import java.util.regex.Pattern;
import org.xerial.snappy.Snappy;

/**
 * Coverage-guided (Jazzer) over the remote-write payload Vigil makes from metrics a client sent:
 * Vigil has no remote-write receiver, so the bytes from outside are the OTLP metrics, and what
 * must hold is that any of them become a payload a Prometheus accepts: it snappy-decodes and
 * parses back to the same WriteRequest, every series has a valid metric name and label names
 * sorted without duplicates (Prometheus refuses the whole request otherwise, and a 400 is not
 * retried: the batch would be lost).
 */
class RemoteWritePayloadFuzzTest {

  private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
  private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

  @FuzzTest(maxDuration = "2m")
  void anyMetricsBecomeAPayloadPrometheusAccepts(FuzzedDataProvider data) throws IOException {
    RemoteWriteExporterConfig config = new RemoteWriteExporterConfig();
    config.resourceToTelemetryConversion.enabled = data.consumeBoolean();
    config.addMetricSuffixes = data.consumeBoolean();
    ExportMetricsServiceRequest otlp;
    try {
      otlp = ExportMetricsServiceRequest.parseFrom(data.consumeRemainingAsBytes());
    } catch (InvalidProtocolBufferException notOtlp) {
      return; // the receiver refuses it before any exporter sees it
    }
    WriteRequest built = new WriteRequestBuilder(config).build(otlp).request();

    byte[] wire = Snappy.compress(built.toByteArray());
    WriteRequest received = WriteRequest.parseFrom(Snappy.uncompress(wire));
    assertThat(received).isEqualTo(built);
    for (TimeSeries ts : received.getTimeseriesList()) {
      String previous = "";
      String name = null;
      for (Label l : ts.getLabelsList()) {
        assertThat(l.getName()).as("label names sorted, unique").isGreaterThan(previous);
        previous = l.getName();
        if (l.getName().equals("__name__")) {
          name = l.getValue();
        } else {
          assertThat(l.getName()).as("label name").matches(LABEL_NAME);
        }
      }
      assertThat(name).as("metric name").isNotNull().matches(METRIC_NAME);
    }
  }
}
