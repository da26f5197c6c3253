/**
 * The prometheusremotewrite exporter: OTLP metrics pushed to a Prometheus remote-write
 * endpoint as snappy-compressed protobuf WriteRequests, through the shared sending queue.
 */
package io.vigil.exporter.prometheusremotewrite;
