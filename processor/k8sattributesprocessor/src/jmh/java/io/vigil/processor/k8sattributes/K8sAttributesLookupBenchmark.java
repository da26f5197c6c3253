package io.vigil.processor.k8sattributes;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.vigil.core.ClientInfo;
import io.vigil.processor.k8sattributes.internal.Association;
import io.vigil.processor.k8sattributes.internal.ExtractionRules;
import io.vigil.processor.k8sattributes.internal.PodExtractor;
import io.vigil.processor.k8sattributes.internal.PodTable;
import io.vigil.processor.k8sattributes.internal.ResourceEnricher;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Cost per resource of the lookup path (the part that runs on every batch): find the pod among
 * 5,000 held by the informers and add its default attributes plus a label, for a resource that
 * carries {@code k8s.pod.ip}, one found through the connection, and one that matches no pod.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class K8sAttributesLookupBenchmark {
  private static final int PODS = 5_000;

  @Param({"resource-attribute", "connection", "miss"})
  public String mode;

  private ResourceEnricher enricher;
  private List<KeyValue> resource;
  private ClientInfo client;

  @Setup
  public void setUp() throws Exception {
    K8sAttributesConfig c = new K8sAttributesConfig();
    K8sAttributesConfig.FieldExtract label = new K8sAttributesConfig.FieldExtract();
    label.tagName = "app";
    label.key = "app.kubernetes.io/name";
    c.extract.labels.add(label);
    K8sAttributesConfig.PodAssociation byIp = new K8sAttributesConfig.PodAssociation();
    K8sAttributesConfig.AssociationSource ip = new K8sAttributesConfig.AssociationSource();
    ip.from = "resource_attribute";
    ip.name = "k8s.pod.ip";
    byIp.sources.add(ip);
    K8sAttributesConfig.PodAssociation byConnection = new K8sAttributesConfig.PodAssociation();
    K8sAttributesConfig.AssociationSource conn = new K8sAttributesConfig.AssociationSource();
    conn.from = "connection";
    byConnection.sources.add(conn);
    c.podAssociation = List.of(byIp, byConnection);

    Association association = new Association(c.podAssociation);
    PodTable table = new PodTable(association);
    PodExtractor extractor = new PodExtractor(new ExtractionRules(c.extract), (ns, n) -> null);
    for (int i = 0; i < PODS; i++) {
      Pod pod = new PodBuilder().withNewMetadata().withName("web-5d8f7c9b4-" + i)
          .withNamespace("ns" + i % 20).withUid("uid-" + i)
          .withLabels(Map.of("app.kubernetes.io/name", "web", "pod-template-hash", "5d8f7c9b4"))
          .withCreationTimestamp("2026-11-28T09:00:00Z").addNewOwnerReference()
          .withKind("ReplicaSet").withName("web-5d8f7c9b4").endOwnerReference().endMetadata()
          .withNewSpec().withNodeName("node-" + i % 50).endSpec()
          .withNewStatus().withPodIP(ip(i)).endStatus().build();
      table.put(extractor.extract(pod));
    }
    enricher = new ResourceEnricher(association, false, table, ns -> null, node -> null);
    List<KeyValue> base = new ArrayList<>();
    base.add(kv("service.name", "web"));
    base.add(kv("telemetry.sdk.language", "java"));
    base.add(kv("telemetry.sdk.version", "1.44.0"));
    switch (mode) {
      case "resource-attribute" -> base.add(kv("k8s.pod.ip", ip(1234)));
      case "connection" -> client = ClientInfo.of(InetAddress.getByName(ip(2345)));
      default -> base.add(kv("k8s.pod.ip", "192.168.0.1"));
    }
    resource = List.copyOf(base);
  }

  private static String ip(int i) {
    return "10.1." + (i / 250) + "." + (i % 250 + 1);
  }

  private static KeyValue kv(String k, String v) {
    return KeyValue.newBuilder().setKey(k).setValue(AnyValue.newBuilder().setStringValue(v))
        .build();
  }

  @Benchmark
  public List<KeyValue> enrichOneResource() {
    return enricher.enrich(resource, client);
  }
}
