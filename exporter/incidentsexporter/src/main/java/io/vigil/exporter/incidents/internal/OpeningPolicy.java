package io.vigil.exporter.incidents.internal;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import io.vigil.core.config.ConfigException;
import io.vigil.exporter.incidents.Evidence;
import io.vigil.exporter.incidents.OpeningConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Whether an anomaly record is strong enough to open an incident on its own. Strong: any kind
 * this policy does not know as weak (error and template surges, alerts, detectors added later),
 * a new log template at or above {@code min_severity}, a metric anomaly on an error or latency
 * series. Weak: a new template below that severity, a rare trace sequence (a message already
 * known, in a new order), a metric anomaly on another series. Weak signals are what a service
 * says whenever it starts, stops or meets a new customer; alone they are worth a look, not a
 * page.
 */
public final class OpeningPolicy {

  /** The judgement on one record, with the reason shown wherever it is held or opened. */
  public record Verdict(boolean strong, String reason) {}

  /** Every record opens (or joins): the exporter before this policy. */
  public static final OpeningPolicy EVERY = new OpeningPolicy(true, 0, List.of(), 0, 1,
      Duration.ZERO, Duration.ofMinutes(10), 1000);

  static final Map<String, Integer> SEVERITIES = Map.of("trace", 1, "debug", 5, "info", 9,
      "warn", 13, "error", 17, "fatal", 21);

  private final boolean every;
  private final int minSeverity;
  private final List<Pattern> strongMetrics;
  private final double minScore;
  private final int minSignals;
  private final Duration persist;
  private final Duration hold;
  private final int maxKept;

  private OpeningPolicy(boolean every, int minSeverity, List<Pattern> strongMetrics,
      double minScore, int minSignals, Duration persist, Duration hold, int maxKept) {
    this.every = every;
    this.minSeverity = minSeverity;
    this.strongMetrics = strongMetrics;
    this.minScore = minScore;
    this.minSignals = minSignals;
    this.persist = persist;
    this.hold = hold;
    this.maxKept = maxKept;
  }

  /** The policy the {@code opening} block configures; {@code groupWindow} is the default hold. */
  public static OpeningPolicy of(OpeningConfig c, Duration groupWindow) {
    List<Pattern> patterns = new ArrayList<>();
    for (String p : c.strongMetrics) {
      patterns.add(Pattern.compile(p, Pattern.CASE_INSENSITIVE));
    }
    return new OpeningPolicy(c.policy.equals("every"),
        SEVERITIES.get(c.minSeverity.toLowerCase(Locale.ROOT)), List.copyOf(patterns),
        c.minScore, c.minSignals, c.persist, c.hold.isZero() ? groupWindow : c.hold, c.maxKept);
  }

  /** Checks the block; errors name the key under {@code opening}. */
  public static void validate(OpeningConfig c) {
    if (c == null) {
      throw new ConfigException("opening", "must be a block (policy, min_severity, ...)");
    }
    if (!"evidence".equals(c.policy) && !"every".equals(c.policy)) {
      throw new ConfigException("opening::policy", "expected evidence or every, got \""
          + c.policy + "\"");
    }
    if (c.minSeverity == null
        || !SEVERITIES.containsKey(c.minSeverity.toLowerCase(Locale.ROOT))) {
      throw new ConfigException("opening::min_severity", "expected trace, debug, info, warn,"
          + " error or fatal, got \"" + c.minSeverity + "\"");
    }
    if (c.strongMetrics == null) {
      throw new ConfigException("opening::strong_metrics", "must be a list of regular"
          + " expressions ([] = no metric anomaly is strong by its series)");
    }
    // RE2/J, as the Collector's Go regexp: matching is linear in the series name whatever the
    // pattern, so a pattern from the config cannot backtrack catastrophically on each anomaly.
    for (int i = 0; i < c.strongMetrics.size(); i++) {
      try {
        Pattern.compile(c.strongMetrics.get(i), Pattern.CASE_INSENSITIVE);
      } catch (PatternSyntaxException | NullPointerException e) {
        throw new ConfigException("opening::strong_metrics::" + i, "not a regular expression"
            + " (Go/RE2 syntax: no look-around or back-references): "
            + (e instanceof PatternSyntaxException p ? p.getDescription() : "null"));
      }
    }
    if (!(c.minScore >= 0 && c.minScore <= 1)) {
      throw new ConfigException("opening::min_score", "must be from 0 (off) to 1, got "
          + c.minScore);
    }
    if (c.minSignals < 1) {
      throw new ConfigException("opening::min_signals", "must be at least 1");
    }
    if (c.persist == null || c.persist.isNegative()) {
      throw new ConfigException("opening::persist", "must be a duration of 0 or more");
    }
    if (c.hold == null || c.hold.isNegative()) {
      throw new ConfigException("opening::hold", "must be a duration of 0 or more"
          + " (0 = group_window)");
    }
    if (c.maxKept < 0) {
      throw new ConfigException("opening::max_kept", "must be 0 or more");
    }
  }

  public boolean every() {
    return every;
  }

  public int minSignals() {
    return minSignals;
  }

  public Duration persist() {
    return persist;
  }

  public Duration hold() {
    return hold;
  }

  public int maxKept() {
    return maxKept;
  }

  public Verdict judge(AnomalySignal s) {
    Evidence e = s.evidence();
    if (every) {
      return new Verdict(true, "opening::policy every");
    }
    switch (e.kind()) {
      case "new_template":
        if (s.severityNumber() == null) {
          // A producer that does not say how severe its records were: never held on a guess.
          return new Verdict(true, "new message, severity unknown");
        }
        return s.severityNumber() >= minSeverity
            ? new Verdict(true, "new message at " + level(s.severityNumber()))
            : new Verdict(false, "new message at " + level(s.severityNumber())
                + ", below opening::min_severity");
      case "rare_sequence":
        return new Verdict(false, "rare trace sequence: a known message in a new order");
      case "metric_anomaly":
        String series = e.series() == null ? "" : e.series();
        for (Pattern p : strongMetrics) {
          if (p.matcher(series).find()) {
            return new Verdict(true, "error or latency series (/" + p.pattern() + "/)");
          }
        }
        if (minScore > 0 && e.score() != null && e.score() >= minScore) {
          return new Verdict(true, String.format(Locale.ROOT, "score %.2f", e.score()));
        }
        return new Verdict(false, "metric anomaly on a series not in opening::strong_metrics");
      default:
        return new Verdict(true, e.kind());
    }
  }

  static String level(int severityNumber) {
    String name = "TRACE";
    for (var entry : SEVERITIES.entrySet()) {
      if (severityNumber >= entry.getValue()
          && entry.getValue() >= SEVERITIES.get(name.toLowerCase(Locale.ROOT))) {
        name = entry.getKey().toUpperCase(Locale.ROOT);
      }
    }
    return name;
  }
}
