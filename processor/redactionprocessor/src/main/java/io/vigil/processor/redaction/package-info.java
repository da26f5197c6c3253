/** The {@code redaction} processor: removes attributes not allowed and masks secrets in values. */
package io.vigil.processor.redaction;
