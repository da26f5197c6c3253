/** The otlphttp exporter: OTLP over HTTP with protobuf bodies. */
package io.vigil.exporter.otlphttp;
