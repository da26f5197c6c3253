package io.vigil.processor.resource;

import io.vigil.processor.attraction.ActionConfig;
import java.util.ArrayList;
import java.util.List;

/** Config of the {@code resource} processor; keys as the Collector's. */
public class ResourceConfig {
  /** The actions on resource attributes, in order. Required. */
  public List<ActionConfig> attributes = new ArrayList<>();
}
