package io.vigil.processor.tailsampling.policy;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.List;

/**
 * One entry of {@code policies} (and of {@code and_sub_policy}, {@code drop_sub_policy},
 * {@code composite_sub_policy}): its {@code name}, its {@code type} and the block named after
 * the type, spelled as the Collector's.
 */
public class PolicyConfig {
  public String name;
  public String type;
  public Latency latency = new Latency();
  public NumericAttribute numericAttribute = new NumericAttribute();
  public Probabilistic probabilistic = new Probabilistic();
  public StatusCode statusCode = new StatusCode();
  public StringAttribute stringAttribute = new StringAttribute();
  public RateLimiting rateLimiting = new RateLimiting();
  public BytesLimiting bytesLimiting = new BytesLimiting();
  public SpanCount spanCount = new SpanCount();
  public TraceStateCfg traceState = new TraceStateCfg();
  public BooleanAttribute booleanAttribute = new BooleanAttribute();
  public OttlCondition ottlCondition = new OttlCondition();
  @JsonProperty("and")
  public And andPolicy = new And();
  public Drop drop = new Drop();
  public Composite composite = new Composite();

  /** {@code latency}: the trace's duration, first span start to last span end. */
  public static class Latency {
    public long thresholdMs;
    /** 0: no upper bound. */
    public long upperThresholdMs;
  }

  /** {@code numeric_attribute}: a resource or span attribute within [min_value, max_value]. */
  public static class NumericAttribute {
    public String key;
    public Double minValue;
    public Double maxValue;
    public boolean invertMatch;
  }

  /** {@code probabilistic}: a share of traces chosen by a hash of the trace ID. */
  public static class Probabilistic {
    public String hashSalt = "";
    public double samplingPercentage;
  }

  /** {@code status_code}: any span with one of these status codes. */
  public static class StatusCode {
    public List<String> statusCodes = new ArrayList<>();
  }

  /** {@code string_attribute}: a resource or span attribute with one of these values. */
  public static class StringAttribute {
    public String key;
    public List<String> values = new ArrayList<>();
    public boolean enabledRegexMatching;
    /** Size of the cache of matched values (regular expressions only). */
    public int cacheMaxSize = 0;
    public boolean invertMatch;
  }

  /** {@code rate_limiting}: at most this many spans per second (whole traces). */
  public static class RateLimiting {
    public long spansPerSecond;
  }

  /** {@code bytes_limiting}: a token bucket of serialized bytes. */
  public static class BytesLimiting {
    public long bytesPerSecond;
    /** 0: twice {@code bytes_per_second}. */
    public long burstCapacity;
  }

  /** {@code span_count}: the trace's span count within [min_spans, max_spans]. */
  public static class SpanCount {
    public int minSpans;
    /** 0: no upper bound. */
    public int maxSpans;
  }

  /** {@code trace_state}: a span whose W3C trace state has this key with one of these values. */
  public static class TraceStateCfg {
    public String key;
    public List<String> values = new ArrayList<>();
  }

  /** {@code boolean_attribute}: a resource or span attribute equal to this boolean. */
  public static class BooleanAttribute {
    public String key;
    public boolean value;
    public boolean invertMatch;
  }

  /** {@code ottl_condition}: see {@link OttlConditions} for the subset Vigil supports. */
  public static class OttlCondition {
    public String errorMode = "propagate";
    public List<String> span = new ArrayList<>();
    public List<String> spanevent = new ArrayList<>();
  }

  /** {@code and}: sampled when every sub-policy samples. */
  public static class And {
    public List<PolicyConfig> andSubPolicy = new ArrayList<>();
  }

  /** {@code drop}: not sampled, whatever the others say, when every sub-policy samples. */
  public static class Drop {
    public List<PolicyConfig> dropSubPolicy = new ArrayList<>();
  }

  /** {@code composite}: sub-policies in order, each with its share of a spans-per-second budget. */
  public static class Composite {
    public long maxTotalSpansPerSecond;
    public List<String> policyOrder = new ArrayList<>();
    public List<PolicyConfig> compositeSubPolicy = new ArrayList<>();
    public List<RateAllocation> rateAllocation = new ArrayList<>();
  }

  /** {@code composite::rate_allocation} entry. */
  public static class RateAllocation {
    public String policy;
    public double percent;
  }
}
