/**
 * OTTL, the OpenTelemetry Transformation Language, as the Collector's {@code pkg/ottl} defines
 * it: conditions for the {@code filter} processor and statements for {@code transform}, parsed by
 * an ANTLR grammar ({@code Ottl.g4}) and evaluated against the OTLP protobuf messages. Entry
 * point: {@link io.vigil.processor.ottl.Ottl}.
 */
package io.vigil.processor.ottl;
