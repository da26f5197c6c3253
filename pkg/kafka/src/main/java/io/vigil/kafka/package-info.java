/**
 * What the {@code kafka} exporter and receiver share, as the Collector's {@code pkg/kafka}:
 * the client keys ({@code brokers}, {@code client_id}, ...), the topic and encoding per signal,
 * and the OTLP encodings of a Kafka message's value.
 */
package io.vigil.kafka;
