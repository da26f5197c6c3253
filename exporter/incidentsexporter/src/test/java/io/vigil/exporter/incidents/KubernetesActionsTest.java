package io.vigil.exporter.incidents;

import static io.vigil.exporter.incidents.AnomalyRecords.T0;
import static io.vigil.exporter.incidents.AnomalyRecords.batch;
import static io.vigil.exporter.incidents.AnomalyRecords.log;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.vigil.core.Signal;
import io.vigil.exporter.incidents.internal.IncidentsExporter;
import io.vigil.exporter.incidents.response.ResponseEngine;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Kubernetes actions end to end: anomaly records open an incident, the rule's action goes
 * through the fabric8 client (configured from a kubeconfig file, as an operator would) to the
 * client's mock API server in CRUD mode, and the test reads the object back to see that its
 * state changed, or did not under dry run, before approval, or when the name is refused.
 */
class KubernetesActionsTest {

  @TempDir Path dir;
  private final MutableClock clock = new MutableClock(T0);
  private KubernetesMockServer server;
  private KubernetesClient kube;
  private IncidentsExporter exporter;
  private IncidentsExporterConfig config;

  @BeforeEach
  void cluster() throws Exception {
    server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
        new KubernetesCrudDispatcher(), false);
    server.init(InetAddress.getByName("127.0.0.1"), 0);
    kube = server.createClient();
    kube.apps().deployments().inNamespace("shop").resource(new DeploymentBuilder()
        .withNewMetadata().withName("orders").withNamespace("shop").endMetadata()
        .withNewSpec().withReplicas(2).withNewTemplate().withNewMetadata()
        .addToLabels("app", "orders").endMetadata().endTemplate().endSpec().build()).create();
    kube.apps().statefulSets().inNamespace("shop").resource(new StatefulSetBuilder()
        .withNewMetadata().withName("ledger").withNamespace("shop").endMetadata()
        .withNewSpec().withReplicas(3).withNewTemplate().withNewMetadata()
        .addToLabels("app", "ledger").endMetadata().endTemplate().endSpec().build()).create();
    kube.nodes().resource(new NodeBuilder().withNewMetadata().withName("worker-1")
        .endMetadata().withNewSpec().endSpec().build()).create();

    Path kubeconfig = dir.resolve("kubeconfig");
    Files.writeString(kubeconfig, """
        apiVersion: v1
        kind: Config
        clusters:
        - name: mock
          cluster: {server: "http://127.0.0.1:%d"}
        users:
        - name: vigil
          user: {token: "not-checked-by-the-mock"}
        contexts:
        - name: mock
          context: {cluster: mock, user: vigil, namespace: default}
        current-context: mock
        """.formatted(server.getPort()));
    config = new IncidentsExporterConfig();
    config.directory = dir.resolve("store").toString();
    config.api.endpoint = "";
    config.response.kubernetes.kubeconfig = kubeconfig.toString();
  }

  @AfterEach
  void stop() {
    if (exporter != null) {
      exporter.shutdown(Instant.now().plusSeconds(2));
    }
    kube.close();
    server.destroy();
  }

  private ResponseConfig.Rule rule(String name, String type) {
    ResponseConfig.Rule r = new ResponseConfig.Rule();
    r.name = name;
    r.action.type = type;
    r.action.namespace = "shop";
    r.action.name = "${incident.service}";
    config.response.rules.add(r);
    return r;
  }

  private void start() throws Exception {
    new IncidentsExporterFactory().validate(config);
    exporter = PluginlessExporters.of(config, clock);
    exporter.start();
  }

  private String incidentOn(String service, Instant at) throws Exception {
    LogRecord r = log("error_surge", service, "t-" + service + at, "pool exhausted " + at, at);
    exporter.consumer(Signal.LOGS).consume(batch(r)).get(5, TimeUnit.SECONDS);
    return exporter.tracker().list(new IncidentQuery(null, service, null, 1)).get(0).id();
  }

  private List<String> audit(String id) {
    return exporter.tracker().get(id).timeline().stream()
        .filter(t -> t.action().equals(ResponseEngine.AUDIT_ACTION))
        .map(TimelineEntry::note).toList();
  }

  private String awaitAudit(String id, int n) {
    await().atMost(Duration.ofSeconds(10)).until(() -> audit(id).size() >= n);
    return audit(id).get(n - 1);
  }

  private Deployment orders() {
    return kube.apps().deployments().inNamespace("shop").withName("orders").get();
  }

  private static Map<String, String> templateAnnotations(Deployment d) {
    Map<String, String> a = d.getSpec().getTemplate().getMetadata().getAnnotations();
    return a == null ? Map.of() : a;
  }

  @Test
  void rolloutRestartPatchesThePodTemplateAnnotationLikeKubectl() throws Exception {
    rule("restart", "rollout_restart").match.service = "orders";
    start();
    String id = incidentOn("orders", T0);
    assertThat(awaitAudit(id, 1)).startsWith("rule restart: action 1 rollout_restart deployment"
        + " shop/orders succeeded: restarted deployment shop/orders"
        + " (kubectl.kubernetes.io/restartedAt=2026-03-01T10:00:00Z)")
        .contains("inputs: severity=high services=[orders]");
    assertThat(templateAnnotations(orders()))
        .containsEntry("kubectl.kubernetes.io/restartedAt", "2026-03-01T10:00:00Z");
    assertThat(orders().getSpec().getTemplate().getMetadata().getLabels())
        .as("a merge patch keeps the rest of the template").containsEntry("app", "orders");
  }

  @Test
  void rolloutRestartOfAStatefulSet() throws Exception {
    ResponseConfig.Rule r = rule("restart", "rollout_restart");
    r.action.kind = "statefulset";
    start();
    String id = incidentOn("ledger", T0);
    assertThat(awaitAudit(id, 1)).contains("succeeded: restarted statefulset shop/ledger");
    StatefulSet s = kube.apps().statefulSets().inNamespace("shop").withName("ledger").get();
    assertThat(s.getSpec().getTemplate().getMetadata().getAnnotations())
        .containsEntry("kubectl.kubernetes.io/restartedAt", "2026-03-01T10:00:00Z");
  }

  @Test
  void scaleByStepsUpAndStopsAtMaxReplicas() throws Exception {
    ResponseConfig.Rule r = rule("scale-out", "scale");
    r.action.by = 1;
    r.action.maxReplicas = 3;
    r.onceWithin = Duration.ofMinutes(1);
    start();
    String id = incidentOn("orders", T0);
    assertThat(awaitAudit(id, 1)).contains("succeeded: scaled deployment shop/orders from 2 to"
        + " 3 replicas");
    assertThat(orders().getSpec().getReplicas()).isEqualTo(3);

    clock.advance(Duration.ofMinutes(2));
    incidentOn("orders", T0.plusSeconds(60));
    assertThat(awaitAudit(id, 2)).contains("succeeded: deployment shop/orders already at 3"
        + " replicas (4 is outside 1..3)");
    assertThat(orders().getSpec().getReplicas()).isEqualTo(3);
  }

  @Test
  void scaleToACountWithinTheBounds() throws Exception {
    ResponseConfig.Rule r = rule("scale-in", "scale");
    r.action.kind = "statefulset";
    r.action.replicas = 1;
    r.action.maxReplicas = 5;
    start();
    String id = incidentOn("ledger", T0);
    assertThat(awaitAudit(id, 1)).contains("scaled statefulset shop/ledger from 3 to 1");
    assertThat(kube.apps().statefulSets().inNamespace("shop").withName("ledger").get()
        .getSpec().getReplicas()).isEqualTo(1);
  }

  @Test
  void cordonMarksTheNodeUnschedulable() throws Exception {
    ResponseConfig.Rule r = rule("cordon", "cordon");
    r.action.node = "worker-1";
    start();
    String id = incidentOn("orders", T0);
    assertThat(awaitAudit(id, 1)).contains("action 1 cordon node worker-1 succeeded: cordoned"
        + " node worker-1");
    Node n = kube.nodes().withName("worker-1").get();
    assertThat(n.getSpec().getUnschedulable()).isTrue();
  }

  @Test
  void dryRunChangesNothingInTheCluster() throws Exception {
    config.response.dryRun = true;
    rule("restart", "rollout_restart");
    ResponseConfig.Rule s = rule("scale-out", "scale");
    s.action.by = 2;
    s.action.maxReplicas = 10;
    start();
    String id = incidentOn("orders", T0);
    assertThat(audit(id)).containsExactly(
        "rule restart: dry run: would run action 1 rollout_restart deployment shop/orders with"
            + " {\"spec\":{\"template\":{\"metadata\":{\"annotations\":{"
            + "\"kubectl.kubernetes.io/restartedAt\":\"<now>\"}}}}}; inputs: severity=high"
            + " services=[orders] cause=unclassified kinds=[error_surge] state=open",
        "rule scale-out: dry run: would run action 2 scale deployment shop/orders with by +2"
            + " within 1..10; inputs: severity=high services=[orders] cause=unclassified"
            + " kinds=[error_surge] state=open");
    assertThat(templateAnnotations(orders())).isEmpty();
    assertThat(orders().getSpec().getReplicas()).isEqualTo(2);
  }

  @Test
  void approvalRequiredRestartWaitsForTheApproval() throws Exception {
    rule("restart", "rollout_restart").requiresApproval = true;
    start();
    String id = incidentOn("orders", T0);
    assertThat(audit(id)).singleElement().asString().contains("action 1 rollout_restart"
        + " deployment shop/orders awaits approval");
    assertThat(templateAnnotations(orders())).isEmpty();

    clock.advance(Duration.ofMinutes(3));
    exporter.response().approve(id, 1, "alice");
    assertThat(awaitAudit(id, 2)).isEqualTo("rule restart: action 1 rollout_restart deployment"
        + " shop/orders approved by alice");
    assertThat(awaitAudit(id, 3)).contains("succeeded");
    assertThat(templateAnnotations(orders()))
        .containsEntry("kubectl.kubernetes.io/restartedAt", "2026-03-01T10:03:00Z");
  }

  @Test
  void missingWorkloadFailsAndOpensTheClusterCircuit() throws Exception {
    config.response.circuitBreaker.failures = 1;
    rule("restart", "rollout_restart");
    start();
    String id = incidentOn("payments", T0);
    assertThat(awaitAudit(id, 1)).contains("action 1 rollout_restart deployment shop/payments"
        + " failed: HTTP 404").contains("circuit for kubernetes " + config.response.kubernetes
            .kubeconfig + " opens for PT5M");

    String orders = incidentOn("orders", T0);
    assertThat(awaitAudit(orders, 1)).contains("not run: circuit open for kubernetes");
    assertThat(templateAnnotations(orders())).as("the open circuit called nothing").isEmpty();
  }

  @Test
  void templatedNameThatIsNoKubernetesNameIsRefused() throws Exception {
    rule("restart", "rollout_restart");
    start();
    String id = incidentOn("Orders/../kube-system", T0);
    assertThat(audit(id)).singleElement().asString().startsWith("rule restart: action 1"
        + " rollout_restart refused: deployment \"Orders/../kube-system\" is not a valid"
        + " Kubernetes name");
  }
}
