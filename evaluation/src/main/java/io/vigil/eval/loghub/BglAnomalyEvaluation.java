package io.vigil.eval.loghub;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.vigil.processor.logtemplate.AnomalyConfig;
import io.vigil.processor.logtemplate.LogAnomaly;
import io.vigil.processor.logtemplate.LogAnomalyDetector;
import io.vigil.processor.logtemplate.LogTemplateConfig;
import io.vigil.analysis.logtemplate.TemplateMiner;
import java.util.List;
import java.util.Locale;

/**
 * Streams BGL_2k, in order and with its own time stamps and levels, through the logtemplate
 * miner and log anomaly detector with their default settings, and scores the lines the
 * detector flags against BGL's alert labels.
 */
public final class BglAnomalyEvaluation {

  /** Line-level confusion counts and the kinds that fired. */
  public record Result(int lines, int alerts, int flagged, int truePositives) {

    public double precision() {
      return flagged == 0 ? 0 : (double) truePositives / flagged;
    }

    public double recall() {
      return alerts == 0 ? 0 : (double) truePositives / alerts;
    }

    public double f1() {
      double p = precision();
      double r = recall();
      return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }
  }

  private BglAnomalyEvaluation() {}

  public static Result evaluate(LoghubDataset bgl) {
    LogTemplateConfig config = new LogTemplateConfig();
    AnomalyConfig anomalies = new AnomalyConfig();
    anomalies.enabled = true;
    TemplateMiner miner = config.newMiner();
    LogAnomalyDetector detector = new LogAnomalyDetector(anomalies, config.maxTemplates);
    int alerts = 0;
    int flagged = 0;
    int tp = 0;
    for (LoghubDataset.Line line : bgl.lines()) {
      if (line.epochSeconds() < 0) {
        throw new IllegalArgumentException(bgl.system() + " has a line without a time stamp");
      }
      LogRecord record = LogRecord.newBuilder()
          .setTimeUnixNano(line.epochSeconds() * 1_000_000_000L)
          .setSeverityNumber(severity(line.level()))
          .setTraceId(ByteString.EMPTY)
          .build();
      List<LogAnomaly.Kind> kinds = detector.observe("bgl", miner.add(line.content()), record);
      detector.takeFound();
      boolean flag = !kinds.isEmpty();
      alerts += line.alert() ? 1 : 0;
      flagged += flag ? 1 : 0;
      tp += flag && line.alert() ? 1 : 0;
    }
    return new Result(bgl.lines().size(), alerts, flagged, tp);
  }

  static SeverityNumber severity(String level) {
    return switch (level.toUpperCase(Locale.ROOT)) {
      case "FATAL", "FAILURE" -> SeverityNumber.SEVERITY_NUMBER_FATAL;
      case "ERROR", "SEVERE" -> SeverityNumber.SEVERITY_NUMBER_ERROR;
      case "WARNING", "WARN" -> SeverityNumber.SEVERITY_NUMBER_WARN;
      case "INFO" -> SeverityNumber.SEVERITY_NUMBER_INFO;
      default -> SeverityNumber.SEVERITY_NUMBER_UNSPECIFIED;
    };
  }
}
