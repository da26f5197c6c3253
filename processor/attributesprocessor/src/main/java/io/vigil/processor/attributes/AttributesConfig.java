package io.vigil.processor.attributes;

import io.vigil.processor.attraction.ActionConfig;
import java.util.ArrayList;
import java.util.List;

/** Config of the {@code attributes} processor; keys as the Collector's. */
public class AttributesConfig {
  /** The actions, applied in order to every selected item's attributes. Required. */
  public List<ActionConfig> actions = new ArrayList<>();
  /** Only items matching these properties are acted on. */
  public MatchConfig include;
  /** Items matching these properties are left alone (checked after include). */
  public MatchConfig exclude;
}
