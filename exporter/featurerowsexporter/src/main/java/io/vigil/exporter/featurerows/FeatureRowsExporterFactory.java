package io.vigil.exporter.featurerows;

import io.vigil.core.Signal;
import io.vigil.core.component.ComponentSettings;
import io.vigil.core.component.Exporter;
import io.vigil.core.component.ExporterFactory;
import io.vigil.core.config.ConfigException;
import java.time.Duration;
import java.util.Set;
import java.util.regex.Pattern;

/** Type {@code featurerows}: metrics in, feature rows per service and window out to Parquet. */
public final class FeatureRowsExporterFactory implements ExporterFactory<FeatureRowsExporterConfig> {

  private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9_.-]+");

  @Override
  public String type() {
    return "featurerows";
  }

  @Override
  public FeatureRowsExporterConfig createDefaultConfig() {
    return new FeatureRowsExporterConfig();
  }

  @Override
  public void validate(FeatureRowsExporterConfig c) {
    if (c.directory == null || c.directory.isBlank()) {
      throw new ConfigException("directory", "required: the directory the Parquet files go to");
    }
    if (c.filePrefix == null || !PREFIX.matcher(c.filePrefix).matches()) {
      throw new ConfigException("file_prefix", "must match " + PREFIX.pattern());
    }
    c.validateFeatureRows();
    ConfigException.requirePositive(c.flushInterval, "flush_interval");
    if (c.rollInterval == null || c.rollInterval.compareTo(c.window) < 0
        || c.rollInterval.toNanos() % c.window.toNanos() != 0) {
      throw new ConfigException("roll_interval", "must be a multiple of window (" + c.window
          + "), so that no row straddles two files");
    }
    if (c.retention == null) {
      throw new ConfigException("retention", "must be a mapping");
    }
    if (c.retention.maxAge == null || c.retention.maxAge.isNegative()) {
      throw new ConfigException("retention::max_age", "must not be negative (0 = no limit)");
    }
    if (c.retention.maxSizeMib < 0) {
      throw new ConfigException("retention::max_size_mib", "must not be negative (0 = no limit)");
    }
    if (c.retention.maxAge.compareTo(Duration.ZERO) > 0
        && c.retention.maxAge.compareTo(c.rollInterval) < 0) {
      throw new ConfigException("retention::max_age", "must be at least roll_interval ("
          + c.rollInterval + "), or every file would be deleted as it is written");
    }
  }

  @Override
  public Set<Signal<?>> signals() {
    return Set.of(Signal.METRICS);
  }

  @Override
  public Exporter create(ComponentSettings settings, FeatureRowsExporterConfig config,
      Set<Signal<?>> signals) {
    return new FeatureRowsExporter(settings, config,
        () -> System.currentTimeMillis() * 1_000_000L);
  }
}
