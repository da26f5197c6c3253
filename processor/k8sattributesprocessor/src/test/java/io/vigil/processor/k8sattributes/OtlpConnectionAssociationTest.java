package io.vigil.processor.k8sattributes;

import static io.vigil.processor.k8sattributes.Telemetry.only;
import static io.vigil.processor.k8sattributes.Telemetry.resource;
import static io.vigil.processor.k8sattributes.Telemetry.resources;
import static io.vigil.processor.k8sattributes.Telemetry.spans;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.vigil.core.Signal;
import io.vigil.core.config.ConfigLoader;
import io.vigil.core.pipeline.PipelineGraph;
import io.vigil.core.telemetry.GatewayTelemetry;
import io.vigil.testing.CaptureExporterFactory;
import io.vigil.testing.ConfigTestdata;
import io.vigil.testing.FreePort;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A whole gateway pipeline, otlp receiver → k8sattributes → capture, with association by
 * connection only: the span is sent over gRPC from 127.0.0.1, and the mock cluster's pod with that
 * IP is the one whose attributes it gets. This is the path an agent-less pod's SDK takes.
 */
class OtlpConnectionAssociationTest {

  @TempDir Path dir;

  @Test
  void aSpanSentOverGrpcGetsThePodOfTheConnectionsPeerAddress() throws Exception {
    String sink = "k8s-" + UUID.randomUUID();
    int port = FreePort.pick();
    try (MockCluster cluster = new MockCluster(dir)) {
      cluster.namespace("shop", Map.of(), Map.of());
      Pod pod = cluster.pod(new PodBuilder().withNewMetadata().withName("local-sender")
          .withNamespace("shop").endMetadata().withNewSpec().withNodeName("worker-1").endSpec()
          .withNewStatus().withPodIP("127.0.0.1").endStatus().build());
      String config = """
          receivers:
            otlp:
              protocols:
                grpc: {endpoint: "127.0.0.1:%d"}
          processors:
            k8sattributes:
              auth_type: kubeConfig
              kube_config_path: "%s"
              wait_for_metadata: true
              pod_association:
                - sources: [{from: connection}]
          exporters:
            capture: {sink: %s}
          service:
            pipelines:
              traces: {receivers: [otlp], processors: [k8sattributes], exporters: [capture]}
          """.formatted(port, cluster.kubeconfig, sink);
      PipelineGraph g = PipelineGraph.build(new ConfigLoader(ConfigTestdata.registry())
          .load(config), new GatewayTelemetry());
      g.start();
      ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", port)
          .usePlaintext().build();
      try {
        TraceServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
            .export(spans(resource("service.name", "local")));
        var captured = CaptureExporterFactory.sink(sink).get(Signal.TRACES);
        await().atMost(Duration.ofSeconds(10)).until(() -> captured.batchCount() > 0);
        assertThat(only(resources(captured.batches().get(0)))).isEqualTo(Map.of(
            "service.name", "local",
            "k8s.pod.ip", "127.0.0.1",
            "k8s.pod.name", "local-sender",
            "k8s.pod.uid", pod.getMetadata().getUid(),
            "k8s.pod.start_time", pod.getMetadata().getCreationTimestamp(),
            "k8s.namespace.name", "shop",
            "k8s.node.name", "worker-1"));
      } finally {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        cluster.close();
        g.shutdown(Duration.ofSeconds(2));
      }
    }
  }
}
