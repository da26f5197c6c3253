/** A real Kafka broker (KRaft) for the tests of the kafka exporter and receiver. */
package io.vigil.testing.kafka;
