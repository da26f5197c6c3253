/**
 * The kafka receiver: OTLP export requests read from Kafka topics, one per signal, through a
 * consumer group, with offsets committed only for what the pipeline accepted.
 */
package io.vigil.receiver.kafka;
