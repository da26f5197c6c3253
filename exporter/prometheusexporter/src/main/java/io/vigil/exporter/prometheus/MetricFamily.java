package io.vigil.exporter.prometheus;

import io.vigil.exporter.prometheustranslator.PrometheusNames;

import java.util.HashMap;
import java.util.Map;

/** The series of one Prometheus metric name, by their labels. */
final class MetricFamily {
  final String name;
  final PrometheusNames.Type type;
  final String help;
  /** The unit word for # UNIT, or null. */
  final String unit;
  final Map<Map<String, String>, Series> series = new HashMap<>();

  MetricFamily(String name, PrometheusNames.Type type, String help, String unit) {
    this.name = name;
    this.type = type;
    this.help = help;
    this.unit = unit;
  }
}
