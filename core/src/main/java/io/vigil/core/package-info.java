/**
 * Vigil's pipeline core: the OTLP signals that flow through it ({@link io.vigil.core.Signal}),
 * the consumer contract between components, and the errors a consumer answers with.
 */
package io.vigil.core;
