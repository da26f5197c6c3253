/** The per-signal walks that drop what the conditions match. */
package io.vigil.processor.filter.internal;
