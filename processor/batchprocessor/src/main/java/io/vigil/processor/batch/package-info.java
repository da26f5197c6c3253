/** The batch processor: groups items into larger requests. */
package io.vigil.processor.batch;
