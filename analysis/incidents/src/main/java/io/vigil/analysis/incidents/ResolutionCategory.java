package io.vigil.analysis.incidents;

/** What was done to end an incident, normalised from free-text mitigation phrasings. */
public enum ResolutionCategory {
  ROLL_BACK("roll back or halt a change"),
  FAIL_OVER("fail over"),
  RESTORE_HARDWARE("restore hardware, power or links"),
  CHANGE_CONFIGURATION("change configuration"),
  ADD_CAPACITY("add capacity"),
  SHED_OR_REDIRECT_LOAD("shed or redirect load"),
  ISOLATE_COMPONENT("isolate or remove the faulty component"),
  RESTART("restart"),
  FIX_AND_DEPLOY("fix and deploy"),
  RECOVER_DATA_OR_SERVICE("recover data or services manually"),
  WAIT_FOR_RECOVERY("wait: self-healed or fixed by a provider"),
  OTHER("other");

  private final String description;

  ResolutionCategory(String description) {
    this.description = description;
  }

  public String description() {
    return description;
  }
}
