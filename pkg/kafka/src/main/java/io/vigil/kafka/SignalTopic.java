package io.vigil.kafka;

/** {@code traces}, {@code metrics}, {@code logs}: the topic and encoding of one signal. */
public class SignalTopic {
  public String topic;
  public String encoding = OtlpEncoding.OTLP_PROTO.configName();

  public SignalTopic() {}

  public SignalTopic(String topic) {
    this.topic = topic;
  }
}
