/** The otlp exporter: OTLP over gRPC. */
package io.vigil.exporter.otlp;
