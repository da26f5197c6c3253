/**
 * The {@code transform} processor: changes spans, metrics and logs with OTTL statements, in the
 * Collector's basic (list of strings) and advanced (groups with context, conditions and
 * error_mode) styles.
 */
package io.vigil.processor.transform;
