package io.vigil.processor.attributes.internal;

/** How names, bodies and attribute values are compared. */
enum MatchType {
  STRICT, REGEXP
}
