package io.vigil.connector.failureprediction;

import io.vigil.pdata.Attributes;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.opentelemetry.proto.resource.v1.Resource;
import io.vigil.featurerows.FeatureRow;
import io.vigil.pdata.AnomalyRecord;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Predictions as anomaly records (the contract in {@link AnomalyRecord}), one resource per
 * service, so the {@code alerts} and {@code incidents} exporters take them like the
 * {@code anomaly} connector's: kind {@code failure_prediction}, the probability as the score,
 * the row's window, the horizon, the model version, and the features it was fed.
 */
final class PredictionRecords {

  private PredictionRecords() {}

  record Prediction(FeatureRow row, double probability) {}

  static ExportLogsServiceRequest of(List<Prediction> predictions, PredictorModel model,
      String serviceAttribute, long observedNanos) {
    Map<String, ScopeLogs.Builder> byService = new LinkedHashMap<>();
    for (Prediction p : predictions) {
      byService.computeIfAbsent(p.row().service(), s -> ScopeLogs.newBuilder()
          .setScope(InstrumentationScope.newBuilder().setName(AnomalyRecord.PREDICTION_SCOPE)))
          .addLogRecords(record(p, model, observedNanos));
    }
    ExportLogsServiceRequest.Builder out = ExportLogsServiceRequest.newBuilder();
    byService.forEach((service, scope) -> out.addResourceLogs(ResourceLogs.newBuilder()
        .setResource(Resource.newBuilder()
            .addAttributes(Attributes.string(serviceAttribute, service)))
        .addScopeLogs(scope)));
    return out.build();
  }

  private static LogRecord record(Prediction p, PredictorModel model, long observedNanos) {
    FeatureRow r = p.row();
    ArrayValue.Builder fed = ArrayValue.newBuilder();
    for (int c : model.columns()) {
      fed.addValues(AnyValue.newBuilder().setDoubleValue(r.value(c)));
    }
    return LogRecord.newBuilder()
        .setTimeUnixNano(r.windowEndNanos())
        .setObservedTimeUnixNano(observedNanos)
        .setSeverityNumber(SeverityNumber.SEVERITY_NUMBER_WARN)
        .setSeverityText("WARN")
        .setEventName(AnomalyRecord.PREDICTION_EVENT)
        .setBody(AnyValue.newBuilder().setStringValue(String.format(Locale.ROOT,
            "%s: failure predicted within %.0f s (probability %.3f, model %s)", r.service(),
            model.horizonSeconds(), p.probability(), model.version())))
        .addAttributes(Attributes.string(AnomalyRecord.KIND, AnomalyRecord.KIND_FAILURE_PREDICTION))
        .addAttributes(Attributes.string(AnomalyRecord.SOURCE, AnomalyRecord.SOURCE_METRICS))
        .addAttributes(Attributes.string("vigil.anomaly.model", "onnx"))
        .addAttributes(Attributes.string(AnomalyRecord.MODEL_VERSION, model.version()))
        .addAttributes(Attributes.string("service.name", r.service()))
        .addAttributes(Attributes.number(AnomalyRecord.SCORE, p.probability()))
        .addAttributes(Attributes.number(AnomalyRecord.HORIZON_SECONDS, model.horizonSeconds()))
        .addAttributes(KeyValue.newBuilder().setKey(AnomalyRecord.WINDOW_START)
            .setValue(AnyValue.newBuilder().setIntValue(r.windowStartNanos())))
        .addAttributes(KeyValue.newBuilder().setKey(AnomalyRecord.WINDOW_END)
            .setValue(AnyValue.newBuilder().setIntValue(r.windowEndNanos())))
        .addAttributes(KeyValue.newBuilder().setKey("vigil.anomaly.features")
            .setValue(AnyValue.newBuilder().setArrayValue(fed)))
        .build();
  }
}
