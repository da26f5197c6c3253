package io.vigil.processor.k8sattributes;

import io.vigil.core.component.ComponentFactory;
import io.vigil.testing.ComponentFactoryContract;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * k8sattributes keeps the component contract with its informers running against the mock API
 * server (start lists the cluster, shutdown stops the informers and their threads).
 */
class K8sAttributesProcessorFactoryContractTest extends ComponentFactoryContract {

  @TempDir static Path dir;
  static MockCluster cluster;

  @BeforeAll
  static void startCluster() {
    cluster = new MockCluster(dir);
  }

  @AfterAll
  static void stopCluster() {
    cluster.close();
  }

  @Override
  protected ComponentFactory<?> factory() {
    return new K8sAttributesProcessorFactory();
  }

  /** The default auth_type is serviceAccount, which only a pod has; loading still validates. */
  @Override
  protected String config(String backend) {
    return "{auth_type: kubeConfig, kube_config_path: '" + cluster.kubeconfig
        + "', wait_for_metadata: true}";
  }
}
