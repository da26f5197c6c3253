package io.vigil.receiver.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.vigil.core.ConsumeException;
import io.vigil.core.Signal;
import io.vigil.core.component.ComponentId;
import io.vigil.core.component.ComponentKind;
import io.vigil.core.component.ComponentSettings;
import io.vigil.core.component.Receiver;
import io.vigil.core.component.SignalConsumers;
import io.vigil.core.telemetry.GatewayTelemetry;
import io.vigil.pdata.OtlpJson;
import io.vigil.testing.TestData;
import io.vigil.testing.kafka.KafkaBroker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The kafka receiver against a real broker: what it hands the pipeline, what it commits, how it
 * holds back while the pipeline refuses, and what a restart re-reads.
 */
class KafkaReceiverTest {

  private static KafkaBroker broker;
  private static KafkaProducer<byte[], byte[]> producer;
  private final List<Receiver> running = new ArrayList<>();

  /** The pipeline stand-in: records span IDs it accepted; refuses while {@link #refusing}. */
  private static final class Pipeline implements io.vigil.core.Consumer<ExportTraceServiceRequest> {
    final Map<ByteString, AtomicInteger> accepted = new ConcurrentHashMap<>();
    final AtomicInteger calls = new AtomicInteger();
    final AtomicBoolean refusing = new AtomicBoolean();
    volatile ConsumeException refusal = ConsumeException.retryable("queue full (test)");

    @Override
    public CompletableFuture<Void> consume(ExportTraceServiceRequest batch) {
      calls.incrementAndGet();
      if (refusing.get()) {
        return CompletableFuture.failedFuture(refusal);
      }
      batch.getResourceSpansList().forEach(rs -> rs.getScopeSpansList().forEach(ss ->
          ss.getSpansList().forEach(s -> accepted.computeIfAbsent(s.getSpanId(),
              k -> new AtomicInteger()).incrementAndGet())));
      return CompletableFuture.completedFuture(null);
    }

    long duplicates() {
      return accepted.values().stream().mapToInt(a -> a.get() - 1).sum();
    }
  }

  @BeforeAll
  static void startBroker() {
    broker = KafkaBroker.start();
    var p = broker.clientProperties();
    p.put("acks", "all");
    producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
  }

  @AfterAll
  static void stopBroker() {
    producer.close();
    broker.close();
  }

  @AfterEach
  void stopReceivers() {
    running.forEach(r -> r.shutdown(Instant.now().plusSeconds(10)));
  }

  private Receiver start(String topic, String group, Pipeline pipeline,
      Consumer<KafkaReceiverConfig> tweak) throws Exception {
    KafkaReceiverConfig c = new KafkaReceiverConfig();
    c.brokers = List.of(broker.bootstrapServers());
    c.traces.topic = topic;
    c.groupId = group;
    c.initialOffset = "earliest";
    c.sessionTimeout = Duration.ofSeconds(6);
    c.heartbeatInterval = Duration.ofSeconds(1);
    c.autocommit.interval = Duration.ofMillis(200);
    tweak.accept(c);
    c.validate();
    Receiver r = new KafkaReceiverFactory().create(new ComponentSettings(ComponentKind.RECEIVER,
        ComponentId.of("kafka"), new GatewayTelemetry()), c,
        SignalConsumers.builder().put(Signal.TRACES, pipeline).build());
    r.start();
    running.add(r);
    return r;
  }

  /** Sends {@code n} messages of 5 spans each; returns the span IDs. */
  private static Set<ByteString> produce(String topic, int n) throws Exception {
    Set<ByteString> ids = new HashSet<>();
    for (int i = 0; i < n; i++) {
      ExportTraceServiceRequest r = TestData.spans(5);
      r.getResourceSpans(0).getScopeSpans(0).getSpansList().forEach(s -> ids.add(s.getSpanId()));
      producer.send(new ProducerRecord<>(topic, r.toByteArray()));
    }
    producer.flush();
    return ids;
  }

  private static long committed(String group, String topic, int partitions) throws Exception {
    try (Admin a = broker.admin()) {
      Map<TopicPartition, OffsetAndMetadata> offsets = a.listConsumerGroupOffsets(group)
          .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
      long sum = 0;
      for (int p = 0; p < partitions; p++) {
        OffsetAndMetadata o = offsets.get(new TopicPartition(topic, p));
        sum += o == null ? 0 : o.offset();
      }
      return sum;
    }
  }

  @Test
  void everyMessageReachesThePipelineAndIsCommitted() throws Exception {
    String topic = "t-" + UUID.randomUUID();
    broker.createTopic(topic, 3);
    Set<ByteString> sent = produce(topic, 40);
    Pipeline pipeline = new Pipeline();
    start(topic, "g-" + topic, pipeline, c -> { });
    await().atMost(Duration.ofSeconds(60)).until(() -> pipeline.accepted.size() == sent.size());
    assertThat(pipeline.accepted.keySet()).isEqualTo(sent);
    assertThat(pipeline.duplicates()).isZero();
    await().atMost(Duration.ofSeconds(30)).until(() -> committed("g-" + topic, topic, 3) == 40);
  }

  @Test
  void aRefusedMessageIsReadAgainNotCommittedAndPausesThePartition() throws Exception {
    String topic = "t-" + UUID.randomUUID();
    broker.createTopic(topic, 1);
    Pipeline pipeline = new Pipeline();
    pipeline.refusing.set(true);
    Set<ByteString> sent = produce(topic, 10);
    String group = "g-" + topic;
    start(topic, group, pipeline, c -> { });
    await().atMost(Duration.ofSeconds(60)).until(() -> pipeline.calls.get() >= 10);
    // Refused for 3 s: the partition pauses with a growing backoff (100 ms doubling to 2 s),
    // so the pipeline is asked again a handful of times, not in a busy loop; nothing committed.
    long before = pipeline.calls.get();
    long t0 = System.nanoTime();
    await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> true);
    long attempts = (pipeline.calls.get() - before);
    assertThat(attempts).as("pipeline calls during 3 s of refusals").isLessThan(10L * 8);
    assertThat(committed(group, topic, 1)).isZero();
    assertThat(pipeline.accepted).isEmpty();

    pipeline.refusing.set(false);
    await().atMost(Duration.ofSeconds(30)).until(() -> pipeline.accepted.size() == sent.size());
    assertThat(pipeline.accepted.keySet()).isEqualTo(sent);
    await().atMost(Duration.ofSeconds(30)).until(() -> committed(group, topic, 1) == 10);
    assertThat(System.nanoTime() - t0).isPositive();
  }

  @Test
  void aPermanentRefusalIsDroppedWhenMarkingOnPermanentError() throws Exception {
    String topic = "t-" + UUID.randomUUID();
    broker.createTopic(topic, 1);
    Pipeline pipeline = new Pipeline();
    pipeline.refusal = ConsumeException.permanent("bad data (test)");
    pipeline.refusing.set(true);
    produce(topic, 5);
    String group = "g-" + topic;
    start(topic, group, pipeline, c -> c.messageMarking.onPermanentError = true);
    await().atMost(Duration.ofSeconds(60)).until(() -> committed(group, topic, 1) == 5);
    assertThat(pipeline.calls.get()).isEqualTo(5);
  }

  @Test
  void anUndecodableMessageIsSkippedAndTheNextOneArrives() throws Exception {
    String topic = "t-" + UUID.randomUUID();
    broker.createTopic(topic, 1);
    producer.send(new ProducerRecord<>(topic, "not protobuf \u0000\u00ff".getBytes(
        StandardCharsets.ISO_8859_1)));
    Set<ByteString> sent = produce(topic, 1);
    Pipeline pipeline = new Pipeline();
    String group = "g-" + topic;
    start(topic, group, pipeline, c -> { });
    await().atMost(Duration.ofSeconds(60)).until(() -> pipeline.accepted.keySet().equals(sent));
    await().atMost(Duration.ofSeconds(30)).until(() -> committed(group, topic, 1) == 2);
  }

  @Test
  void otlpJsonMessagesAreRead() throws Exception {
    String topic = "t-" + UUID.randomUUID();
    broker.createTopic(topic, 1);
    ExportTraceServiceRequest r = TestData.spans(3);
    producer.send(new ProducerRecord<>(topic, OtlpJson.print(r).getBytes(StandardCharsets.UTF_8)));
    producer.flush();
    Pipeline pipeline = new Pipeline();
    start(topic, "g-" + topic, pipeline, c -> c.traces.encoding = "otlp_json");
    Set<ByteString> ids = new HashSet<>();
    r.getResourceSpans(0).getScopeSpans(0).getSpansList().forEach(s -> ids.add(s.getSpanId()));
    await().atMost(Duration.ofSeconds(60)).until(() -> pipeline.accepted.keySet().equals(ids));
  }

  @Test
  void aReceiverRestartedMidStreamLosesNothing() throws Exception {
    String topic = "t-" + UUID.randomUUID();
    broker.createTopic(topic, 3);
    String group = "g-" + topic;
    Pipeline pipeline = new Pipeline();
    Set<ByteString> sent = ConcurrentHashMap.newKeySet();
    sent.addAll(produce(topic, 100));
    Receiver first = start(topic, group, pipeline, c -> { });
    await().atMost(Duration.ofSeconds(60)).until(() -> pipeline.accepted.size() >= 100);
    // Mid-stream: more is being written while the first receiver stops and a second starts.
    CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
      try {
        for (int i = 0; i < 10; i++) {
          sent.addAll(produce(topic, 20));
        }
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    first.shutdown(Instant.now().plusSeconds(10));
    running.remove(first);
    start(topic, group, pipeline, c -> { });
    writer.get(60, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(90)).until(() -> pipeline.accepted.size() == sent.size());
    assertThat(pipeline.accepted.keySet()).isEqualTo(sent);
    await().atMost(Duration.ofSeconds(30)).until(() -> committed(group, topic, 3) == 300);
  }
}
