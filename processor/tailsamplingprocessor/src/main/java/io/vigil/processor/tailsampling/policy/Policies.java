package io.vigil.processor.tailsampling.policy;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import io.opentelemetry.proto.trace.v1.Status;
import io.vigil.core.config.ConfigException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Checks policy configs (errors name the key path) and builds their evaluators. */
public final class Policies {

  private Policies() {}

  /** Every top-level policy of {@code policies}, checked; key paths start at {@code policies}. */
  public static List<NamedPolicy> build(List<PolicyConfig> configs, SamplingClock clock) {
    if (configs == null || configs.isEmpty()) {
      throw new ConfigException("policies", "at least one policy is required");
    }
    List<NamedPolicy> out = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (int i = 0; i < configs.size(); i++) {
      String path = "policies::" + i;
      PolicyConfig c = configs.get(i);
      checkName(path, c, names);
      out.add(new NamedPolicy(c.name, build(path, c, clock)));
    }
    return out;
  }

  private static void checkName(String path, PolicyConfig c, Set<String> names) {
    if (c == null) {
      throw new ConfigException(path, "must be a mapping with name and type");
    }
    if (c.name == null || c.name.isBlank()) {
      throw new ConfigException(path + "::name", "required");
    }
    if (!names.add(c.name)) {
      throw new ConfigException(path + "::name", "duplicate policy name \"" + c.name + "\"");
    }
  }

  static PolicyEvaluator build(String path, PolicyConfig c, SamplingClock clock) {
    if (c.type == null || c.type.isBlank()) {
      throw new ConfigException(path + "::type", "required");
    }
    String p = path + "::" + c.type;
    switch (c.type) {
      case "always_sample":
        return trace -> Decision.SAMPLED;
      case "latency": {
        if (c.latency.thresholdMs < 0) {
          throw new ConfigException(p + "::threshold_ms", "must not be negative");
        }
        if (c.latency.upperThresholdMs != 0
            && c.latency.upperThresholdMs < c.latency.thresholdMs) {
          throw new ConfigException(p + "::upper_threshold_ms",
              "must be 0 (no upper bound) or at least threshold_ms");
        }
        return new Latency(c.latency);
      }
      case "numeric_attribute": {
        PolicyConfig.NumericAttribute n = c.numericAttribute;
        requireKey(p, n.key);
        if (n.minValue == null && n.maxValue == null) {
          throw new ConfigException(p, "set min_value, max_value or both");
        }
        if (n.minValue != null && n.maxValue != null && n.maxValue < n.minValue) {
          throw new ConfigException(p + "::max_value", "must be at least min_value");
        }
        double min = n.minValue == null ? Double.NEGATIVE_INFINITY : n.minValue;
        double max = n.maxValue == null ? Double.POSITIVE_INFINITY : n.maxValue;
        return new AttributeMatch(n.key, v -> {
          double x = v.hasIntValue() ? v.getIntValue() : v.hasDoubleValue() ? v.getDoubleValue()
              : Double.NaN;
          return x >= min && x <= max;
        }, n.invertMatch);
      }
      case "probabilistic": {
        double pct = c.probabilistic.samplingPercentage;
        if (!(pct >= 0 && pct <= 100)) {
          throw new ConfigException(p + "::sampling_percentage", "must be from 0 to 100");
        }
        return new Probabilistic(c.probabilistic);
      }
      case "status_code": {
        List<String> codes = c.statusCode.statusCodes;
        if (codes == null || codes.isEmpty()) {
          throw new ConfigException(p + "::status_codes", "at least one of OK, ERROR, UNSET");
        }
        Set<Status.StatusCode> parsed = new HashSet<>();
        for (int i = 0; i < codes.size(); i++) {
          Status.StatusCode code = StatusCodes.parse(codes.get(i));
          if (code == null) {
            throw new ConfigException(p + "::status_codes::" + i, "unknown status code \""
                + codes.get(i) + "\"; use OK, ERROR or UNSET");
          }
          parsed.add(code);
        }
        return new StatusCodes(parsed);
      }
      case "string_attribute": {
        PolicyConfig.StringAttribute s = c.stringAttribute;
        requireKey(p, s.key);
        if (s.values == null || s.values.isEmpty()) {
          throw new ConfigException(p + "::values", "at least one value is required");
        }
        StringValues test;
        if (s.enabledRegexMatching) {
          List<Pattern> patterns = new ArrayList<>();
          for (int i = 0; i < s.values.size(); i++) {
            try {
              patterns.add(Pattern.compile(s.values.get(i)));
            } catch (PatternSyntaxException e) {
              throw new ConfigException(p + "::values::" + i, "not a regular expression (Go/RE2"
                  + " syntax: no look-around or back-references): " + e.getDescription());
            }
          }
          test = StringValues.regex(patterns, s.cacheMaxSize);
        } else {
          test = StringValues.exact(s.values);
        }
        return new AttributeMatch(s.key, test, s.invertMatch);
      }
      case "boolean_attribute": {
        PolicyConfig.BooleanAttribute b = c.booleanAttribute;
        requireKey(p, b.key);
        return new AttributeMatch(b.key, v -> v.hasBoolValue() && v.getBoolValue() == b.value,
            b.invertMatch);
      }
      case "rate_limiting": {
        if (c.rateLimiting.spansPerSecond <= 0) {
          throw new ConfigException(p + "::spans_per_second", "must be positive");
        }
        return new RateLimiting(c.rateLimiting.spansPerSecond, clock::epochSecond);
      }
      case "bytes_limiting": {
        if (c.bytesLimiting.bytesPerSecond <= 0) {
          throw new ConfigException(p + "::bytes_per_second", "must be positive");
        }
        if (c.bytesLimiting.burstCapacity < 0) {
          throw new ConfigException(p + "::burst_capacity", "must not be negative");
        }
        return new BytesLimiting(c.bytesLimiting.bytesPerSecond, c.bytesLimiting.burstCapacity,
            clock::nanoTime);
      }
      case "span_count": {
        if (c.spanCount.minSpans < 0 || c.spanCount.maxSpans < 0) {
          throw new ConfigException(p, "min_spans and max_spans must not be negative");
        }
        if (c.spanCount.maxSpans != 0 && c.spanCount.maxSpans < c.spanCount.minSpans) {
          throw new ConfigException(p + "::max_spans", "must be 0 (no limit) or at least min_spans");
        }
        return new SpanCount(c.spanCount);
      }
      case "trace_state": {
        requireKey(p, c.traceState.key);
        if (c.traceState.values == null || c.traceState.values.isEmpty()) {
          throw new ConfigException(p + "::values", "at least one value is required");
        }
        return new TraceStateMatch(c.traceState.key, new HashSet<>(c.traceState.values));
      }
      case "ottl_condition":
        return OttlConditions.parse(p, c.ottlCondition);
      case "and":
        return new AndPolicy(subs(p + "::and_sub_policy", c.andPolicy.andSubPolicy, clock));
      case "drop":
        return new DropPolicy(subs(p + "::drop_sub_policy", c.drop.dropSubPolicy, clock));
      case "composite":
        return composite(p, c.composite, clock);
      default:
        throw new ConfigException(path + "::type", "unknown policy type \"" + c.type + "\"; use"
            + " always_sample, latency, numeric_attribute, probabilistic, status_code,"
            + " string_attribute, boolean_attribute, rate_limiting, bytes_limiting, span_count,"
            + " trace_state, ottl_condition, and, drop or composite");
    }
  }

  private static void requireKey(String path, String key) {
    if (key == null || key.isEmpty()) {
      throw new ConfigException(path + "::key", "required");
    }
  }

  private static List<PolicyEvaluator> subs(String path, List<PolicyConfig> configs,
      SamplingClock clock) {
    if (configs == null || configs.isEmpty()) {
      throw new ConfigException(path, "at least one sub-policy is required");
    }
    List<PolicyEvaluator> out = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (int i = 0; i < configs.size(); i++) {
      checkName(path + "::" + i, configs.get(i), names);
      out.add(build(path + "::" + i, configs.get(i), clock));
    }
    return out;
  }

  private static PolicyEvaluator composite(String path, PolicyConfig.Composite c,
      SamplingClock clock) {
    if (c.maxTotalSpansPerSecond <= 0) {
      throw new ConfigException(path + "::max_total_spans_per_second", "must be positive");
    }
    List<PolicyEvaluator> evaluators = subs(path + "::composite_sub_policy",
        c.compositeSubPolicy, clock);
    Map<String, PolicyEvaluator> byName = new LinkedHashMap<>();
    for (int i = 0; i < c.compositeSubPolicy.size(); i++) {
      byName.put(c.compositeSubPolicy.get(i).name, evaluators.get(i));
    }
    Map<String, Double> allocated = new LinkedHashMap<>();
    double sum = 0;
    for (int i = 0; i < c.rateAllocation.size(); i++) {
      PolicyConfig.RateAllocation a = c.rateAllocation.get(i);
      if (a == null || !byName.containsKey(a.policy)) {
        throw new ConfigException(path + "::rate_allocation::" + i + "::policy",
            "names no composite_sub_policy");
      }
      if (a.percent < 0 || a.percent > 100) {
        throw new ConfigException(path + "::rate_allocation::" + i + "::percent",
            "must be from 0 to 100");
      }
      allocated.put(a.policy, a.percent);
      sum += a.percent;
    }
    if (sum > 100) {
      throw new ConfigException(path + "::rate_allocation", "percentages add up to " + sum
          + ", more than 100");
    }
    List<String> order = c.policyOrder.isEmpty() ? new ArrayList<>(byName.keySet())
        : c.policyOrder;
    long unallocated = order.stream().filter(n -> !allocated.containsKey(n)).count();
    double rest = c.maxTotalSpansPerSecond * (100 - sum) / 100;
    List<CompositePolicy.Sub> subs = new ArrayList<>();
    for (int i = 0; i < order.size(); i++) {
      String name = order.get(i);
      if (!byName.containsKey(name)) {
        throw new ConfigException(path + "::policy_order::" + i, "names no composite_sub_policy: \""
            + name + "\"");
      }
      long budget = allocated.containsKey(name)
          ? Math.round(c.maxTotalSpansPerSecond * allocated.get(name) / 100)
          : Math.round(rest / unallocated);
      subs.add(new CompositePolicy.Sub(byName.get(name), budget));
    }
    return new CompositePolicy(subs, c.maxTotalSpansPerSecond, clock::epochSecond);
  }
}
