package io.vigil.receiver.kafka;

import com.google.protobuf.Message;
import io.vigil.core.Consumer;
import io.vigil.core.Signal;
import io.vigil.core.component.ComponentSettings;
import io.vigil.core.component.Receiver;
import io.vigil.core.component.ReceiverFactory;
import io.vigil.core.component.SignalConsumers;
import io.vigil.core.config.ConfigException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** Type {@code kafka}: OTLP export requests read from Kafka topics by a consumer group. */
public final class KafkaReceiverFactory implements ReceiverFactory<KafkaReceiverConfig> {

  @Override
  public String type() {
    return "kafka";
  }

  @Override
  public KafkaReceiverConfig createDefaultConfig() {
    return new KafkaReceiverConfig();
  }

  @Override
  public void validate(KafkaReceiverConfig c) {
    c.validate();
  }

  @Override
  public Set<Signal<?>> signals() {
    return Set.copyOf(Signal.all());
  }

  @Override
  public Receiver create(
      ComponentSettings settings, KafkaReceiverConfig config, SignalConsumers consumers) {
    Map<String, TopicRoute<?>> routes = new LinkedHashMap<>();
    for (Signal<?> s : Signal.all()) {
      if (consumers.get(s) != null) {
        route(routes, config, s, consumers.get(s));
      }
    }
    return new KafkaReceiver(settings, config, routes);
  }

  private static <T extends Message> void route(Map<String, TopicRoute<?>> routes,
      KafkaReceiverConfig c, Signal<T> s, Consumer<T> next) {
    String topic = c.topic(s);
    TopicRoute<?> other = routes.get(topic);
    if (other != null) {
      // A message does not say which signal it carries: one topic per signal.
      throw new ConfigException(c.topic != null ? "topic" : s.name() + "::topic", "topic \""
          + topic + "\" is also the " + other.signal().name() + " topic; each signal"
          + " the receiver's pipelines take needs a topic of its own");
    }
    routes.put(topic, new TopicRoute<>(s, c.encoding(s), next));
  }
}
