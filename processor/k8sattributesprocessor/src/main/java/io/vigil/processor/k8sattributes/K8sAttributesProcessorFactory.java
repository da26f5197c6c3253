package io.vigil.processor.k8sattributes;

import com.google.protobuf.Message;
import io.vigil.core.Consumer;
import io.vigil.core.Signal;
import io.vigil.core.component.ComponentSettings;
import io.vigil.core.component.Processor;
import io.vigil.core.component.ProcessorFactory;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.vigil.processor.k8sattributes.internal.Association;
import io.vigil.processor.k8sattributes.internal.ClusterObjects;
import io.vigil.processor.k8sattributes.internal.ExtractionRules;
import io.vigil.processor.k8sattributes.internal.KubernetesClients;
import io.vigil.processor.k8sattributes.internal.KubernetesWatch;
import io.vigil.processor.k8sattributes.internal.PodFilter;
import io.vigil.processor.k8sattributes.internal.PodTable;
import io.vigil.processor.k8sattributes.internal.RequestEnricher;
import io.vigil.processor.k8sattributes.internal.ResourceEnricher;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;

/**
 * Type {@code k8sattributes}; {@link K8sAttributesProcessorAliasFactory} registers the
 * Collector's newer spelling {@code k8s_attributes} for the same processor.
 */
public class K8sAttributesProcessorFactory implements ProcessorFactory<K8sAttributesConfig> {

  /** How long a deleted pod stays findable: the Collector's podDeleteGracePeriod. */
  static final Duration DELETE_GRACE = Duration.ofMinutes(2);

  private final Map<String, String> env;
  private final Duration deleteGrace;

  public K8sAttributesProcessorFactory() {
    this(System.getenv(), DELETE_GRACE);
  }

  /** For tests: the environment {@code node_from_env_var} reads, and a shorter delete grace. */
  K8sAttributesProcessorFactory(Map<String, String> env, Duration deleteGrace) {
    this.env = env;
    this.deleteGrace = deleteGrace;
  }

  @Override
  public String type() {
    return "k8sattributes";
  }

  @Override
  public K8sAttributesConfig createDefaultConfig() {
    return new K8sAttributesConfig();
  }

  @Override
  public void validate(K8sAttributesConfig c) {
    c.validate();
  }

  @Override
  public Set<Signal<?>> signals() {
    return Set.copyOf(Signal.all());
  }

  @Override
  public <T extends Message> Processor<T> create(
      ComponentSettings settings, K8sAttributesConfig c, Signal<T> signal, Consumer<T> next) {
    Logger log = settings.logger(K8sAttributesProcessor.class);
    Association association = new Association(c.podAssociation);
    ExtractionRules rules = new ExtractionRules(c.extract);
    PodFilter filter = new PodFilter(c, env);
    if (!c.filter.nodeFromEnvVar.isEmpty() && filter.node().isEmpty()) {
      log.warn("{}: filter::node_from_env_var names {}, which is not set: watching the pods of"
          + " every node", settings.id(), c.filter.nodeFromEnvVar);
    }
    ClusterMirror mirror = ClusterMirror.of(c, () -> ClusterMirror.create(c,
        new PodTable(association), pods -> new KubernetesWatch(KubernetesClients.create(c, env),
            rules, filter, pods, deleteGrace, System::nanoTime, log)));
    ResourceEnricher enricher = new ResourceEnricher(association, c.passthrough, mirror.pods,
        new ClusterObjects() {
          private ClusterObjects watched() {
            KubernetesWatch w = mirror.watch();
            return w == null ? ClusterObjects.NONE : w;
          }

          @Override
          public List<KeyValue> namespace(String name) {
            return watched().namespace(name);
          }

          @Override
          public List<KeyValue> node(String name) {
            return watched().node(name);
          }

          @Override
          public List<KeyValue> workload(String kind, String uid) {
            return watched().workload(kind, uid);
          }
        }, rules.workloadKinds());
    return new K8sAttributesProcessor<>(RequestEnricher.forSignal(signal, enricher), next,
        c.passthrough ? null : mirror,
        c.waitForMetadata, c.waitForMetadataTimeout);
  }
}
