package io.vigil.processor.ottl.internal;

import java.util.HashMap;
import java.util.Map;

/** The enum symbols OTTL knows, with the int values the OTLP fields hold. */
final class Enums {
  private static final Map<String, Long> SYMBOLS = new HashMap<>();

  static {
    String[] kinds = {"UNSPECIFIED", "INTERNAL", "SERVER", "CLIENT", "PRODUCER", "CONSUMER"};
    for (int i = 0; i < kinds.length; i++) {
      SYMBOLS.put("SPAN_KIND_" + kinds[i], (long) i);
    }
    SYMBOLS.put("STATUS_CODE_UNSET", 0L);
    SYMBOLS.put("STATUS_CODE_OK", 1L);
    SYMBOLS.put("STATUS_CODE_ERROR", 2L);
    SYMBOLS.put("SEVERITY_NUMBER_UNSPECIFIED", 0L);
    String[] levels = {"TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"};
    for (int l = 0; l < levels.length; l++) {
      for (int n = 1; n <= 4; n++) {
        SYMBOLS.put("SEVERITY_NUMBER_" + levels[l] + (n == 1 ? "" : String.valueOf(n)), (long) (l * 4 + n));
      }
    }
    String[] types = {"NONE", "GAUGE", "SUM", "HISTOGRAM", "EXPONENTIAL_HISTOGRAM", "SUMMARY"};
    for (int i = 0; i < types.length; i++) {
      SYMBOLS.put("METRIC_DATA_TYPE_" + types[i], (long) i);
    }
    SYMBOLS.put("AGGREGATION_TEMPORALITY_UNSPECIFIED", 0L);
    SYMBOLS.put("AGGREGATION_TEMPORALITY_DELTA", 1L);
    SYMBOLS.put("AGGREGATION_TEMPORALITY_CUMULATIVE", 2L);
    SYMBOLS.put("FLAG_NONE", 0L);
    SYMBOLS.put("FLAG_NO_RECORDED_VALUE", 1L);
  }

  private Enums() {}

  /** The value of {@code symbol}, or null when OTTL has no such enum. */
  static Long value(String symbol) {
    return SYMBOLS.get(symbol);
  }
}
