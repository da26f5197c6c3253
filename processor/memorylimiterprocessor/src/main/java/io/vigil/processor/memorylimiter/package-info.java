/** The memory_limiter processor: refuses data while heap use is high. */
package io.vigil.processor.memorylimiter;
