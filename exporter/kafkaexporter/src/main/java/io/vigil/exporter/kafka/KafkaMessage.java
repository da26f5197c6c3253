package io.vigil.exporter.kafka;

/** One message to write: its topic, its key (null: the producer spreads keyless messages), its value. */
record KafkaMessage(String topic, byte[] key, byte[] value) {}
