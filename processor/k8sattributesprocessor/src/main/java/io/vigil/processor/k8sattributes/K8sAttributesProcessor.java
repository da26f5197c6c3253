package io.vigil.processor.k8sattributes;

import io.vigil.core.ClientInfo;
import io.vigil.core.Consumer;
import io.vigil.core.component.Processor;
import io.vigil.processor.k8sattributes.internal.KubernetesWatch;
import io.vigil.processor.k8sattributes.internal.RequestEnricher;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;

/**
 * Adds Kubernetes attributes to each batch and hands it on. The lookup reads the informers'
 * in-memory mirror only, so a batch never waits on the API server; until the mirror has the pod,
 * the batch goes on without its attributes, as in the Collector.
 */
final class K8sAttributesProcessor<T> implements Processor<T> {
  private final RequestEnricher<T> enricher;
  private final Consumer<T> next;
  private final ClusterMirror mirror;
  private final boolean waitForMetadata;
  private final Duration waitTimeout;
  private boolean acquired;

  K8sAttributesProcessor(RequestEnricher<T> enricher, Consumer<T> next,
      ClusterMirror mirror, boolean waitForMetadata, Duration waitTimeout) {
    this.enricher = enricher;
    this.next = next;
    this.mirror = mirror;
    this.waitForMetadata = waitForMetadata;
    this.waitTimeout = waitTimeout;
  }

  @Override
  public void start() throws Exception {
    if (mirror == null) {
      return; // passthrough: no API server
    }
    KubernetesWatch watch = mirror.acquire();
    acquired = true;
    if (waitForMetadata) {
      try {
        watch.awaitSynced(waitTimeout);
      } catch (TimeoutException e) {
        acquired = false;
        mirror.release();
        throw new IllegalStateException("k8sattributes: the pods were not listed within"
            + " wait_for_metadata_timeout " + waitTimeout + "; check the API server is"
            + " reachable and the RBAC in the processor's README is applied", e);
      }
    }
  }

  @Override
  public CompletableFuture<Void> consume(T batch) {
    return next.consume(enricher.enrich(batch, ClientInfo.current().orElse(null)));
  }

  @Override
  public void shutdown(Instant deadline) {
    if (acquired) {
      acquired = false;
      mirror.release();
    }
  }
}
