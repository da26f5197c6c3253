package io.vigil.exporter.featurerows;

import io.vigil.featurerows.FeatureRowsSettings;
import java.time.Duration;

/**
 * Config of the {@code featurerows} exporter: the shared feature keys ({@code window},
 * {@code features}, ...) plus where and how the Parquet files are kept.
 */
public class FeatureRowsExporterConfig extends FeatureRowsSettings {
  /** Directory the Parquet files go to (created if missing). Required. */
  public String directory = "";
  /** File names start with this, then the period's start: {@code featurerows-20261128T1300Z}. */
  public String filePrefix = "featurerows";
  /** One file per period of this length (rows by their window start). */
  public Duration rollInterval = Duration.ofHours(1);
  /** How often closed windows are collected and finished periods written. */
  public Duration flushInterval = Duration.ofSeconds(1);
  public Retention retention = new Retention();

  /** Which files are deleted after each write: the oldest first. */
  public static class Retention {
    /** Files whose period (from the name) ended longer ago are deleted; 0 = no age limit. */
    public Duration maxAge = Duration.ofDays(7);
    /** The files together stay under this many MiB (the newest is always kept); 0 = no limit. */
    public long maxSizeMib = 1024;
  }
}
