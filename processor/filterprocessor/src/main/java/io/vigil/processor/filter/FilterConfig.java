package io.vigil.processor.filter;

import java.util.ArrayList;
import java.util.List;

/** Config of the {@code filter} processor; keys as the Collector's. */
public class FilterConfig {
  /** ignore, silent or propagate: what a condition that fails on a record does. */
  public String errorMode = "propagate";
  public Traces traces = new Traces();
  public Metrics metrics = new Metrics();
  public Logs logs = new Logs();

  /** Conditions on spans and on span events. */
  public static class Traces {
    public List<String> span = new ArrayList<>();
    public List<String> spanevent = new ArrayList<>();
  }

  /** Conditions on metrics and on data points. */
  public static class Metrics {
    public List<String> metric = new ArrayList<>();
    public List<String> datapoint = new ArrayList<>();
  }

  /** Conditions on log records. */
  public static class Logs {
    public List<String> logRecord = new ArrayList<>();
  }
}
