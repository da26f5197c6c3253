package io.vigil.processor.transform;

import java.util.ArrayList;
import java.util.List;

/**
 * Config of the {@code transform} processor; keys as the Collector's. Each statements list holds
 * strings (statements whose context is inferred from their paths) and groups ({@code context},
 * {@code error_mode}, {@code conditions}, {@code statements}), read by {@link StatementGroups}.
 */
public class TransformConfig {
  /** ignore, silent or propagate; a group's own error_mode overrides it. */
  public String errorMode = "ignore";
  public List<Object> traceStatements = new ArrayList<>();
  public List<Object> metricStatements = new ArrayList<>();
  public List<Object> logStatements = new ArrayList<>();
  /** Accepted so Collector configs load; Vigil carries no profiles, so these never run. */
  public List<Object> profileStatements = new ArrayList<>();
}
