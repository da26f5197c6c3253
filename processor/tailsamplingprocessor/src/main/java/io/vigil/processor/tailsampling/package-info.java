/**
 * The tail_sampling processor: buffers each trace for {@code decision_wait}, then keeps or drops
 * the whole trace by its policies, as the Collector's tailsamplingprocessor.
 */
package io.vigil.processor.tailsampling;
