package io.vigil.demo.traffic;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.vigil.core.config.ConfigException;
import io.vigil.core.config.GoDuration;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads a scenario file and checks it, naming the key path of anything wrong
 * ({@code faults[1]::kind}), so a typo fails before any traffic is sent.
 */
public final class ScenarioLoader {

  public static final List<String> SERVICES = List.of("storefront", "orders", "inventory", "payments");
  public static final List<String> FAULT_KINDS = List.of("latency", "error_rate",
      "dependency_outage", "slow_query", "cpu_burn", "memory_leak", "log_storm", "heap_exhaustion");
  public static final List<String> REQUESTS = List.of("checkout", "browse");
  /** The built-in scenarios, under scenarios/ in the jar. */
  public static final List<String> BUILT_IN = List.of("demo", "steady", "diurnal", "spike", "ramp",
      "faults", "faults-b", "faults-short", "remediation", "smoke", "precursors", "precursors-b",
      "precursors-c");
  /** Bounds that keep a typo from turning the demo into a load test or a week-long run. */
  static final Duration MAX_DURATION = Duration.ofHours(24);
  static final double MAX_RATE = 2000;

  private static final ObjectMapper YAML = new YAMLMapper();

  private ScenarioLoader() {}

  /** A built-in scenario by name, or a file by path. */
  public static Scenario load(String nameOrPath) {
    if (BUILT_IN.contains(nameOrPath)) {
      try (InputStream in = ScenarioLoader.class.getResourceAsStream(
          "/scenarios/" + nameOrPath + ".yaml")) {
        return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new IllegalStateException("built-in scenario " + nameOrPath + " unreadable", e);
      }
    }
    Path file = Path.of(nameOrPath);
    if (!Files.isRegularFile(file)) {
      throw new ConfigException("", "no scenario file " + file + " (built-in scenarios: "
          + String.join(", ", BUILT_IN) + ")");
    }
    try {
      return parse(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new ConfigException("", "cannot read scenario " + file + ": " + e.getMessage());
    }
  }

  public static Scenario parse(String yaml) {
    JsonNode root;
    try {
      root = YAML.readTree(yaml);
    } catch (JsonProcessingException e) {
      throw new ConfigException("", "not valid YAML: " + e.getOriginalMessage());
    }
    if (root == null || !root.isObject()) {
      throw new ConfigException("", "a scenario is a mapping with name, duration, traffic, faults");
    }
    keys(root, "", Set.of("name", "duration", "max_rate", "max_in_flight", "seed", "traffic", "faults"));
    String name = text(root, "name", "", "scenario");
    Duration duration = duration(root, "duration", "", null);
    if (duration.isZero() || duration.compareTo(MAX_DURATION) > 0) {
      throw new ConfigException("duration", "must be between 1s and " + GoDuration.format(MAX_DURATION));
    }
    double maxRate = number(root, "max_rate", "", 200);
    if (maxRate <= 0 || maxRate > MAX_RATE) {
      throw new ConfigException("max_rate", "must be above 0 and at most " + MAX_RATE);
    }
    int maxInFlight = (int) number(root, "max_in_flight", "", 64);
    if (maxInFlight < 1 || maxInFlight > 4096) {
      throw new ConfigException("max_in_flight", "must be between 1 and 4096");
    }
    long seed = wholeNumber(root, "seed", Scenario.DEFAULT_SEED);
    Scenario.Traffic traffic = traffic(root.get("traffic"), duration);
    if (traffic.rate() > maxRate || traffic.peakRate() > maxRate) {
      throw new ConfigException("traffic", "rate and peak_rate must not exceed max_rate " + maxRate);
    }
    List<Scenario.FaultStep> faults = new ArrayList<>();
    JsonNode list = root.get("faults");
    if (list != null && !list.isNull()) {
      if (!list.isArray()) {
        throw new ConfigException("faults", "must be a list");
      }
      for (int i = 0; i < list.size(); i++) {
        faults.add(fault(list.get(i), "faults[" + i + "]", duration));
      }
    }
    return new Scenario(name, duration, maxRate, maxInFlight, traffic, List.copyOf(faults), seed);
  }

  private static Scenario.Traffic traffic(JsonNode node, Duration duration) {
    String path = "traffic";
    if (node == null || !node.isObject()) {
      throw new ConfigException(path, "missing: give at least traffic::rate");
    }
    keys(node, path, Set.of("shape", "rate", "peak_rate", "period", "spike_at", "spike_duration", "mix"));
    String shapeName = text(node, "shape", path, "steady");
    Scenario.Shape shape;
    try {
      shape = Scenario.Shape.valueOf(shapeName.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(path + "::shape", "unknown shape '" + shapeName
          + "'; one of steady, wave, spike, ramp");
    }
    double rate = number(node, "rate", path, Double.NaN);
    if (Double.isNaN(rate) || rate < 0) {
      throw new ConfigException(path + "::rate", "must be a number of requests per second >= 0");
    }
    boolean needsPeak = shape != Scenario.Shape.STEADY;
    double peak = number(node, "peak_rate", path, needsPeak ? Double.NaN : rate);
    if (Double.isNaN(peak) || peak < 0) {
      throw new ConfigException(path + "::peak_rate", "a " + shapeName + " shape needs peak_rate >= 0");
    }
    Duration period = duration(node, "period", path, duration);
    if (period.isZero()) {
      throw new ConfigException(path + "::period", "must be above 0");
    }
    Duration spikeAt = duration(node, "spike_at", path, duration.dividedBy(2));
    Duration spikeDuration = duration(node, "spike_duration", path, duration.dividedBy(10));
    Map<String, Double> mix = new LinkedHashMap<>();
    JsonNode m = node.get("mix");
    if (m == null || m.isNull()) {
      mix.put("checkout", 0.6);
      mix.put("browse", 0.4);
    } else {
      if (!m.isObject()) {
        throw new ConfigException(path + "::mix", "must map request kinds to weights");
      }
      keys(m, path + "::mix", Set.copyOf(REQUESTS));
      for (Iterator<String> it = m.fieldNames(); it.hasNext(); ) {
        String k = it.next();
        if (!m.get(k).isNumber() || m.get(k).asDouble() < 0) {
          throw new ConfigException(path + "::mix::" + k, "must be a weight >= 0");
        }
        mix.put(k, m.get(k).asDouble());
      }
      if (mix.values().stream().mapToDouble(Double::doubleValue).sum() <= 0) {
        throw new ConfigException(path + "::mix", "needs one weight above 0");
      }
    }
    return new Scenario.Traffic(shape, rate, peak, period, spikeAt, spikeDuration, Map.copyOf(mix));
  }

  private static Scenario.FaultStep fault(JsonNode node, String path, Duration scenarioDuration) {
    if (node == null || !node.isObject()) {
      throw new ConfigException(path, "must be a mapping with service, kind, at, duration");
    }
    keys(node, path, Set.of("service", "kind", "at", "duration", "params"));
    String service = text(node, "service", path, null);
    if (!SERVICES.contains(service)) {
      throw new ConfigException(path + "::service", "unknown service '" + service + "'; one of "
          + String.join(", ", SERVICES));
    }
    String kind = text(node, "kind", path, null);
    if (!FAULT_KINDS.contains(kind)) {
      throw new ConfigException(path + "::kind", "unknown fault kind '" + kind + "'; one of "
          + String.join(", ", FAULT_KINDS));
    }
    Duration at = duration(node, "at", path, null);
    Duration length = duration(node, "duration", path, null);
    if (length.isZero()) {
      throw new ConfigException(path + "::duration", "must be above 0");
    }
    if (at.plus(length).compareTo(scenarioDuration) > 0) {
      throw new ConfigException(path, "ends at " + GoDuration.format(at.plus(length))
          + ", after the scenario's duration " + GoDuration.format(scenarioDuration));
    }
    Map<String, Object> params = new LinkedHashMap<>();
    JsonNode p = node.get("params");
    if (p != null && !p.isNull()) {
      if (!p.isObject()) {
        throw new ConfigException(path + "::params", "must be a mapping");
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = p.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        params.put(e.getKey(), e.getValue().isNumber() ? e.getValue().numberValue()
            : e.getValue().asText());
      }
    }
    Scenario.FaultStep step = new Scenario.FaultStep(service, kind, at, length, Map.copyOf(params));
    Duration ramp;
    try {
      ramp = step.failingAfter();
    } catch (IllegalArgumentException e) {
      throw new ConfigException(path + "::params::ramp_s", e.getMessage());
    }
    if (ramp != null && ramp.compareTo(length) >= 0) {
      // A ramp that outlasts the fault would label a failure that never happens.
      throw new ConfigException(path + "::params::ramp_s", "ramp of "
          + GoDuration.format(ramp) + " must end before the fault's duration "
          + GoDuration.format(length));
    }
    return step;
  }

  private static void keys(JsonNode node, String path, Set<String> allowed) {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!allowed.contains(k)) {
        throw new ConfigException(join(path, k), "unknown key; valid keys are " + new TreeSet<>(allowed));
      }
    }
  }

  private static String join(String path, String key) {
    return path.isEmpty() ? key : path + "::" + key;
  }

  private static String text(JsonNode node, String key, String path, String dflt) {
    JsonNode v = node.get(key);
    if (v == null || v.isNull()) {
      if (dflt == null) {
        throw new ConfigException(join(path, key), "missing");
      }
      return dflt;
    }
    if (!v.isTextual()) {
      throw new ConfigException(join(path, key), "must be a string");
    }
    return v.asText();
  }

  private static double number(JsonNode node, String key, String path, double dflt) {
    JsonNode v = node.get(key);
    if (v == null || v.isNull()) {
      return dflt;
    }
    if (!v.isNumber()) {
      throw new ConfigException(join(path, key), "must be a number, not '" + v.asText() + "'");
    }
    return v.asDouble();
  }

  private static long wholeNumber(JsonNode node, String key, long dflt) {
    JsonNode v = node.get(key);
    if (v == null || v.isNull()) {
      return dflt;
    }
    if (!v.canConvertToLong() || !v.isIntegralNumber()) {
      throw new ConfigException(key, "must be a whole number, not '" + v.asText() + "'");
    }
    return v.asLong();
  }

  private static Duration duration(JsonNode node, String key, String path, Duration dflt) {
    JsonNode v = node.get(key);
    if (v == null || v.isNull()) {
      if (dflt == null) {
        throw new ConfigException(join(path, key), "missing: a duration such as 30s or 5m");
      }
      return dflt;
    }
    try {
      Duration d = GoDuration.parse(v.asText());
      if (d.isNegative()) {
        throw new ConfigException(join(path, key), "must not be negative");
      }
      return d;
    } catch (IllegalArgumentException e) {
      throw new ConfigException(join(path, key), "not a duration ('" + v.asText()
          + "'): write it like 30s, 5m or 1h30m");
    }
  }
}
