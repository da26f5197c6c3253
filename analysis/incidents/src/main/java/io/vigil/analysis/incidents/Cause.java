package io.vigil.analysis.incidents;

/** The seven root-cause classes Vigil predicts (issue #20). */
public enum Cause {
  CONFIG("config"),
  CODE_CHANGE("code change"),
  OVERLOAD("overload"),
  OTHER_SOFTWARE_BUG("other software bug"),
  HARDWARE("hardware"),
  NETWORK("network"),
  THIRD_PARTY("third party");

  private final String label;

  Cause(String label) {
    this.label = label;
  }

  /** The label classifiers predict and models store. */
  public String label() {
    return label;
  }
}
