package io.vigil.processor.attributes;

import java.util.List;

/**
 * The Collector's {@code filterconfig.MatchProperties}: which spans, log records or metrics an
 * {@code include} or {@code exclude} selects. Every property given must match (and); within a
 * list, one entry matching is enough (or).
 */
public class MatchConfig {
  /** strict or regexp: how the names, bodies and attribute values below are compared. */
  public String matchType;
  /** Options of match_type regexp (the Collector's result cache); accepted for compatibility. */
  public RegexpOptions regexp;
  public List<String> services;
  public List<String> spanNames;
  public List<String> spanKinds;
  public List<String> logBodies;
  public List<String> logSeverityTexts;
  public SeverityNumberMatch logSeverityNumber;
  public List<String> metricNames;
  public List<KeyValueMatch> attributes;
  public List<KeyValueMatch> resources;
  public List<LibraryMatch> libraries;

  /** An attribute that must be present, with this value when one is given. */
  public static class KeyValueMatch {
    public String key;
    public Object value;
  }

  /** An instrumentation scope: name, and version when given (an empty string matches only empty). */
  public static class LibraryMatch {
    public String name;
    public String version;
  }

  /** Log records at or above {@code min} (a number or a name such as INFO, WARN2). */
  public static class SeverityNumberMatch {
    public Object min;
    public boolean matchUndefined;
  }

  /** The Collector's regexp cache settings; Vigil compiles patterns once and needs no cache. */
  public static class RegexpOptions {
    public boolean cacheenabled;
    public int cachemaxnumentries;
  }
}
