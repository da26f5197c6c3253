package io.vigil.exporter.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.vigil.core.Signal;
import io.vigil.core.component.ComponentId;
import io.vigil.core.component.ComponentKind;
import io.vigil.core.component.ComponentSettings;
import io.vigil.core.component.Exporter;
import io.vigil.core.telemetry.GatewayTelemetry;
import io.vigil.pdata.OtlpJson;
import io.vigil.testing.TestData;
import io.vigil.testing.kafka.KafkaBroker;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The kafka exporter against a real broker: what lands on the topics, and where. */
class KafkaExporterTest {

  private static KafkaBroker broker;

  @BeforeAll
  static void startBroker() {
    broker = KafkaBroker.start();
  }

  @AfterAll
  static void stopBroker() {
    broker.close();
  }

  private static Exporter exporter(Consumer<KafkaExporterConfig> tweak) throws Exception {
    KafkaExporterConfig c = new KafkaExporterConfig();
    c.brokers = List.of(broker.bootstrapServers());
    c.timeout = Duration.ofSeconds(10);
    tweak.accept(c);
    c.validate();
    Exporter e = new KafkaExporterFactory().create(new ComponentSettings(ComponentKind.EXPORTER,
        ComponentId.of("kafka"), new GatewayTelemetry()), c, Set.copyOf(Signal.all()));
    e.start();
    return e;
  }

  private static List<ConsumerRecord<byte[], byte[]>> readAll(String topic, int expected) {
    Properties p = broker.clientProperties();
    List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> c =
        new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> parts = c.partitionsFor(topic).stream()
          .map(i -> new TopicPartition(topic, i.partition())).toList();
      c.assign(parts);
      c.seekToBeginning(parts);
      long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (out.size() < expected && System.nanoTime() < until) {
        c.poll(Duration.ofMillis(200)).forEach(out::add);
      }
      // Anything beyond what was expected would be a duplicate: read a little longer.
      c.poll(Duration.ofMillis(300)).forEach(out::add);
    }
    return out;
  }

  private static ExportTraceServiceRequest traces(int traces, int spansPerTrace) {
    ResourceSpans.Builder a = ResourceSpans.newBuilder().setResource(TestData.resource("a"));
    ResourceSpans.Builder b = ResourceSpans.newBuilder().setResource(TestData.resource("b"));
    ScopeSpans.Builder sa = ScopeSpans.newBuilder();
    ScopeSpans.Builder sb = ScopeSpans.newBuilder();
    for (int t = 0; t < traces; t++) {
      ByteString traceId = TestData.randomId(16);
      for (int s = 0; s < spansPerTrace; s++) {
        // Spans of one trace spread over both resources, as from two services.
        (s % 2 == 0 ? sa : sb).addSpans(Span.newBuilder().setTraceId(traceId)
            .setSpanId(TestData.randomId(8)).setName("op-" + s));
      }
    }
    return ExportTraceServiceRequest.newBuilder().addResourceSpans(a.addScopeSpans(sa))
        .addResourceSpans(b.addScopeSpans(sb)).build();
  }

  @Test
  void eachTraceIsOneMessageKeyedByItsIdInOnePartition() throws Exception {
    String topic = "traces-" + UUID.randomUUID();
    broker.createTopic(topic, 4);
    Exporter e = exporter(c -> {
      c.traces.topic = topic;
      c.partitionTracesById = true;
    });
    ExportTraceServiceRequest sent = traces(30, 3);
    e.consumer(Signal.TRACES).consume(sent).get(30, TimeUnit.SECONDS);
    e.shutdown(Instant.now().plusSeconds(10));

    List<ConsumerRecord<byte[], byte[]>> got = readAll(topic, 30);
    assertThat(got).hasSize(30);
    Map<String, Integer> partitionOfTrace = new HashMap<>();
    Set<ByteString> spanIds = new HashSet<>();
    for (ConsumerRecord<byte[], byte[]> r : got) {
      String key = new String(r.key());
      ExportTraceServiceRequest m = ExportTraceServiceRequest.parseFrom(r.value());
      m.getResourceSpansList().forEach(rs -> rs.getScopeSpansList().forEach(ss ->
          ss.getSpansList().forEach(s -> {
            assertThat(HexFormat.of().formatHex(s.getTraceId().toByteArray())).isEqualTo(key);
            spanIds.add(s.getSpanId());
          })));
      assertThat(m.getResourceSpansCount()).as("both services' resources kept").isEqualTo(2);
      assertThat(partitionOfTrace.put(key, r.partition())).isNull();
    }
    assertThat(new HashSet<>(partitionOfTrace.values())).as("traces spread over partitions")
        .hasSizeGreaterThan(1);
    Set<ByteString> sentIds = new HashSet<>();
    sent.getResourceSpansList().forEach(rs -> rs.getScopeSpansList().forEach(ss ->
        ss.getSpansList().forEach(s -> sentIds.add(s.getSpanId()))));
    assertThat(spanIds).isEqualTo(sentIds);
  }

  @Test
  void otlpJsonIsWrittenWithHexIdsAndReadsBackEqual() throws Exception {
    String topic = "logs-" + UUID.randomUUID();
    Exporter e = exporter(c -> {
      c.logs.topic = topic;
      c.logs.encoding = "otlp_json";
    });
    ExportLogsServiceRequest sent = TestData.logs(5);
    e.consumer(Signal.LOGS).consume(sent).get(30, TimeUnit.SECONDS);
    e.shutdown(Instant.now().plusSeconds(10));

    List<ConsumerRecord<byte[], byte[]>> got = readAll(topic, 1);
    assertThat(got).hasSize(1);
    assertThat(got.get(0).key()).isNull();
    String json = new String(got.get(0).value());
    String traceHex = HexFormat.of().formatHex(sent.getResourceLogs(0).getScopeLogs(0)
        .getLogRecords(0).getTraceId().toByteArray());
    assertThat(json).contains("\"traceId\":\"" + traceHex + "\"");
    assertThat(OtlpJson.merge(got.get(0).value(), ExportLogsServiceRequest.newBuilder()).build())
        .isEqualTo(sent);
  }

  @Test
  void metricsOfOneResourceShareAKeyWhateverTheAttributeOrder() throws Exception {
    String topic = "metrics-" + UUID.randomUUID();
    Exporter e = exporter(c -> {
      c.metrics.topic = topic;
      c.partitionMetricsByResourceAttributes = true;
    });
    Resource ab = Resource.newBuilder().addAttributes(TestData.str("service.name", "x"))
        .addAttributes(TestData.str("host.name", "h1")).build();
    Resource ba = Resource.newBuilder().addAttributes(TestData.str("host.name", "h1"))
        .addAttributes(TestData.str("service.name", "x")).build();
    Resource other = TestData.resource("y");
    ExportMetricsServiceRequest one = TestData.gaugePoints(2);
    ExportMetricsServiceRequest sent = ExportMetricsServiceRequest.newBuilder()
        .addResourceMetrics(one.getResourceMetrics(0).toBuilder().setResource(ab))
        .addResourceMetrics(one.getResourceMetrics(0).toBuilder().setResource(ba))
        .addResourceMetrics(one.getResourceMetrics(0).toBuilder().setResource(other)).build();
    e.consumer(Signal.METRICS).consume(sent).get(30, TimeUnit.SECONDS);
    e.shutdown(Instant.now().plusSeconds(10));

    List<ConsumerRecord<byte[], byte[]>> got = readAll(topic, 3);
    assertThat(got).hasSize(3);
    assertThat(got.get(0).key()).isEqualTo(got.get(1).key());
    assertThat(got.get(2).key()).isNotEqualTo(got.get(0).key());
  }

  @Test
  void topicFromAttributeRoutesEachResource() throws Exception {
    String fallback = "spans-" + UUID.randomUUID();
    String routed = "team-a-" + UUID.randomUUID();
    Exporter e = exporter(c -> {
      c.traces.topic = fallback;
      c.topicFromAttribute = "kafka.topic";
    });
    ExportTraceServiceRequest base = TestData.spans(2);
    ExportTraceServiceRequest sent = ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(base.getResourceSpans(0).toBuilder().setResource(
            Resource.newBuilder().addAttributes(TestData.str("kafka.topic", routed))))
        .addResourceSpans(base.getResourceSpans(0)).build();
    e.consumer(Signal.TRACES).consume(sent).get(30, TimeUnit.SECONDS);
    e.shutdown(Instant.now().plusSeconds(10));

    assertThat(readAll(routed, 1)).hasSize(1);
    assertThat(readAll(fallback, 1)).hasSize(1);
  }
}
