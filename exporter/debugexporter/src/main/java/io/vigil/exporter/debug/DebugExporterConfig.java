package io.vigil.exporter.debug;

/** Config of the {@code debug} exporter; keys as the collector's. */
public class DebugExporterConfig {
  /** basic: one line per batch; normal: one line per item; detailed: everything. */
  public String verbosity = "basic";
  /** Batches logged per second before sampling starts. */
  public int samplingInitial = 2;
  /** After that, log every n-th batch per second. */
  public int samplingThereafter = 1;
}
