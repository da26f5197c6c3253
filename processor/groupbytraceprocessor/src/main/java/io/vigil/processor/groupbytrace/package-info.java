/**
 * The {@code groupbytrace} processor: holds spans until their trace has had {@code wait_duration}
 * to complete, then hands each trace on as one batch (for tail-based decisions downstream).
 */
package io.vigil.processor.groupbytrace;
