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
import java.util.function.Supplier;
import org.slf4j.Logger;

/**
 * Adds Kubernetes attributes to each batch and hands it on. The lookup reads the informers'
 * in-memory mirror only, so a batch never waits on the API server; until the mirror has the pod,
 * the batch goes on without its attributes, as in the Collector.
 */
final class K8sAttributesProcessor<T> implements Processor<T> {
  private final RequestEnricher<T> enricher;
  private final Consumer<T> next;
  private final Supplier<KubernetesWatch> watchFactory;
  private final boolean waitForMetadata;
  private final Duration waitTimeout;
  private final Logger log;
  private KubernetesWatch watch;

  K8sAttributesProcessor(RequestEnricher<T> enricher, Consumer<T> next,
      Supplier<KubernetesWatch> watchFactory, boolean waitForMetadata, Duration waitTimeout,
      Logger log) {
    this.enricher = enricher;
    this.next = next;
    this.watchFactory = watchFactory;
    this.waitForMetadata = waitForMetadata;
    this.waitTimeout = waitTimeout;
    this.log = log;
  }

  @Override
  public void start() throws Exception {
    if (watchFactory == null) {
      return; // passthrough: no API server
    }
    watch = watchFactory.get();
    watch.start();
    if (waitForMetadata) {
      try {
        watch.awaitSynced(waitTimeout);
      } catch (TimeoutException e) {
        watch.close();
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
    if (watch != null) {
      watch.close();
      log.debug("informers stopped");
    }
  }
}
