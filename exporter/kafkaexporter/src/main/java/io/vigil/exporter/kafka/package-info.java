/** The kafka exporter: OTLP export requests as Kafka messages, one topic per signal. */
package io.vigil.exporter.kafka;
