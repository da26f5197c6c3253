/**
 * The loadbalancing exporter: routes each trace (by trace ID, or by service) to one backend on a
 * consistent-hash ring, through one otlp exporter per backend.
 */
package io.vigil.exporter.loadbalancing;
