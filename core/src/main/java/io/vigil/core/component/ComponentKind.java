package io.vigil.core.component;

/** The sections of a config file, one per kind of component. */
public enum ComponentKind {
  RECEIVER("receivers"),
  PROCESSOR("processors"),
  EXPORTER("exporters"),
  CONNECTOR("connectors"),
  EXTENSION("extensions");

  private final String section;

  ComponentKind(String section) {
    this.section = section;
  }

  /** The top-level config key for this kind, e.g. {@code receivers}. */
  public String section() {
    return section;
  }
}
