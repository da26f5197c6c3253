package io.vigil.processor.attraction;

/** One entry of an {@code actions} list, keys as the Collector's. */
public class ActionConfig {
  /** The attribute acted on. */
  public String key;
  /** insert, update, upsert, delete, hash, extract or convert. */
  public String action;
  /** A literal value: string, number, boolean, list or map. */
  public Object value;
  /** Take the value from another attribute of the same item. */
  public String fromAttribute;
  /** Client metadata: refused, the pipeline does not carry the request context. */
  public String fromContext;
  /** Used when {@code from_attribute} is absent on the item (or alone: always). */
  public Object defaultValue;
  /** RE2-style regular expression: keys to delete or hash, or the value to extract from. */
  public String pattern;
  /** For convert: int, double or string. */
  public String convertedType;
}
