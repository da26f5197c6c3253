package io.vigil.exporter.loadbalancing;

import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.informers.ExceptionHandler;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;

/**
 * {@code resolver::k8s}: watches the EndpointSlices of one Service (label
 * {@code kubernetes.io/service-name}) through fabric8's informer; every ready endpoint address
 * with each of {@code ports} is a backend. A pod that stops being ready, or goes, leaves the ring
 * at the watch event, not one polling interval later. The client configures itself as the
 * Collector's does: the pod's service account in a cluster, else the kubeconfig.
 */
final class K8sBackends implements BackendResolver {

  static final String SERVICE_LABEL = "kubernetes.io/service-name";

  private final LoadBalancingExporterConfig.K8s config;
  private final Supplier<KubernetesClient> clients;
  private final LoadBalancerMetrics metrics;
  private final Logger log;
  private KubernetesClient client;
  private SharedIndexInformer<EndpointSlice> informer;
  private Set<String> last;

  K8sBackends(LoadBalancingExporterConfig.K8s config, LoadBalancerMetrics metrics, Logger log) {
    this(config, () -> new KubernetesClientBuilder().withConfig(new ConfigBuilder()
        .withRequestTimeout((int) config.timeout.toMillis())
        .withConnectionTimeout((int) config.timeout.toMillis()).build()).build(), metrics, log);
  }

  /** With a client made elsewhere (tests: one to a mock API server). */
  K8sBackends(LoadBalancingExporterConfig.K8s config, Supplier<KubernetesClient> clients,
      LoadBalancerMetrics metrics, Logger log) {
    this.config = config;
    this.clients = clients;
    this.metrics = metrics;
    this.log = log;
  }

  @Override
  public void start(Consumer<Set<String>> onChange) {
    client = clients.get();
    String name = config.serviceName();
    String namespace = config.namespace() != null ? config.namespace()
        : client.getNamespace() != null ? client.getNamespace() : "default";
    // Made first and started after: the handler reads the informer's store, so the field is set
    // before the first event.
    informer = client.discovery().v1().endpointSlices().inNamespace(namespace)
        .withLabel(SERVICE_LABEL, name).runnableInformer(0);
    informer.addEventHandler(new ResourceEventHandler<>() {
          @Override
          public void onAdd(EndpointSlice slice) {
            changed(onChange);
          }

          @Override
          public void onUpdate(EndpointSlice before, EndpointSlice now) {
            changed(onChange);
          }

          @Override
          public void onDelete(EndpointSlice slice, boolean finalStateUnknown) {
            changed(onChange);
          }
        });
    // fabric8's default handler gives up for good when the first list fails (an API server
    // slow or briefly down while the gateway starts), which would leave the ring empty until a
    // restart: retry as the informer does once it is running.
    informer.exceptionHandler((started, error) -> {
      metrics.resolution("k8s", false);
      log.warn("loadbalancing: listing or watching the EndpointSlices of service {} failed,"
          + " retrying with the last known backends: {}", name, error.toString());
      return !ExceptionHandler.isDeserializationException(error);
    });
    informer.start();
    log.info("loadbalancing: watching the EndpointSlices of service {} in namespace {}", name,
        namespace);
  }

  /** Recomputed from every slice the informer holds: a Service's endpoints span slices. */
  private synchronized void changed(Consumer<Set<String>> onChange) {
    metrics.resolution("k8s", true);
    Set<String> now = new TreeSet<>();
    for (EndpointSlice slice : informer.getStore().list()) {
      now.addAll(endpoints(slice, config.ports));
    }
    if (!now.equals(last)) {
      last = Set.copyOf(now);
      onChange.accept(last);
    }
  }

  /** The ready addresses of a slice, each with every port. */
  static Set<String> endpoints(EndpointSlice slice, Iterable<Integer> ports) {
    Set<String> out = new TreeSet<>();
    if (slice.getEndpoints() == null) {
      return out;
    }
    boolean ipv6 = "IPv6".equals(slice.getAddressType());
    for (Endpoint e : slice.getEndpoints()) {
      // Absent "ready" means ready (the API's rule); terminating endpoints are not.
      if (e.getConditions() != null && Boolean.FALSE.equals(e.getConditions().getReady())) {
        continue;
      }
      if (e.getAddresses() == null) {
        continue;
      }
      for (String a : e.getAddresses()) {
        for (int port : ports) {
          out.add((ipv6 ? "[" + a + "]" : a) + ":" + port);
        }
      }
    }
    return out;
  }

  @Override
  public void shutdown() {
    if (informer != null) {
      informer.close();
    }
    if (client != null) {
      client.close();
    }
  }
}
