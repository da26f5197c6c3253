package io.vigil.gateway.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.vigil.core.component.ComponentId;
import io.vigil.core.component.ComponentKind;
import io.vigil.core.config.ComponentConfig;
import io.vigil.core.config.PipelineConfig;
import io.vigil.processor.memorylimiter.MemoryLimiterConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Renders every overlay under deploy/kubernetes/overlays with {@code kubectl kustomize}, reads
 * each object strictly into the Kubernetes object model, and checks what must agree: the
 * gateway config each ConfigMap carries passes the gateway's own validation; probes reach the
 * admin port's /health; heap, memory limit and memory_limiter fit together; the ports of the
 * config, the containers, the hostPorts and the Services match; the agent injection puts the
 * jar where JAVA_TOOL_OPTIONS looks and points the agent at a gateway that listens.
 */
class KubernetesManifestsTest {

  /**
   * Memory a gateway JVM uses beyond its heap: 85 MiB measured at -Xmx64m with the node-agent
   * flags (peak RSS 149 MiB, docs/benchmarks.md), rounded up. A container's limit below heap +
   * this is an OOM kill waiting for a busy minute.
   */
  static final long NON_HEAP_MIB = 96;

  /** Where the vigil/agent image keeps the jar (checked by agent/dist's AgentImageIT). */
  static final String AGENT_JAR_IN_IMAGE = "/vigil/vigil-agent.jar";

  private static final Map<String, RenderedOverlay> RENDERED = new LinkedHashMap<>();

  /** Why the overlays were not rendered, or null when they were. */
  private static String notRendered;

  @BeforeAll
  static void render() throws IOException, InterruptedException {
    RENDERED.putAll(RenderedOverlays.all());
    notRendered = RenderedOverlays.whyNot();
  }

  /**
   * Each test skips with the reason, not the class: surefire reports a class skipped in
   * {@code @BeforeAll} as "Tests run: 0" and drops the reason, so CI's log would not show it.
   */
  @BeforeEach
  void rendered() {
    Assumptions.assumeTrue(notRendered == null, notRendered);
  }

  static Stream<String> overlays() throws IOException {
    return RenderedOverlays.directories().stream().map(p -> p.getFileName().toString());
  }

  static Stream<GatewayContainer> gateways() {
    return RENDERED.values().stream().flatMap(o -> GatewayContainer.in(o).stream());
  }

  @Test
  void everyOverlayRendersAndRunsAGateway() throws IOException {
    assertThat(RENDERED.keySet()).containsAll(overlays().toList());
    for (RenderedOverlay o : RENDERED.values()) {
      assertThat(GatewayContainer.in(o)).as(o.name).isNotEmpty();
    }
    assertThat(RENDERED.get("cluster").all(DaemonSet.class)).hasSize(1);
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void everyImageIsOneTheBuildMakesWithItsTag(String overlay) throws Exception {
    Set<String> built = BuiltImages.byName().keySet();
    assertThat(built).as("deploy/images/build.sh").contains("vigil/gateway", "vigil/agent");
    for (RenderedOverlay.Workload w : RENDERED.get(overlay).workloads()) {
      PodSpec pod = w.template().getSpec();
      for (Container c : concat(pod.getInitContainers(), pod.getContainers())) {
        String name = GatewayContainer.imageName(c.getImage());
        assertThat(built).as(overlay + ": " + w.name() + " " + c.getName()
            + ": an image deploy/images/build.sh builds").contains(name);
        assertThat(c.getImage()).as(w.name() + " " + c.getName())
            .isEqualTo(name + ":" + Repo.imageTag());
      }
    }
  }

  @Test
  void everyGatewayConfigPassesTheGatewaysValidation() {
    // GatewayContainer loads each config with ConfigLoader and the container's environment: an
    // unknown key, an undefined component or a variable the container does not set fails here.
    assertThat(gateways().map(GatewayContainer::name)).hasSizeGreaterThanOrEqualTo(3);
  }

  @Test
  void probesAskTheAdminPortForHealth() {
    gateways().forEach(g -> {
      InetSocketAddress admin = g.admin();
      assertThat(admin.getAddress().isAnyLocalAddress())
          .as(g.name() + ": the kubelet probes the pod's IP, so the admin address must listen"
              + " on all interfaces, not " + admin).isTrue();
      for (Probe probe : List.of(required(g.container.getLivenessProbe(), g, "liveness"),
          required(g.container.getReadinessProbe(), g, "readiness"))) {
        HTTPGetAction get = probe.getHttpGet();
        assertThat(get).as(g.name() + ": probe is not an HTTP GET").isNotNull();
        assertThat(get.getPath()).as(g.name()).isEqualTo("/health");
        ContainerPort port = GatewayContainer.port(g.container, get.getPort())
            .orElseThrow(() -> new AssertionError(g.name() + ": probe port " + get.getPort()
                + " is not a container port"));
        assertThat(port.getContainerPort()).as(g.name() + ": probe port vs admin address")
            .isEqualTo(admin.getPort());
      }
    });
  }

  @Test
  void heapMemoryLimitAndMemoryLimiterAgree() {
    gateways().forEach(g -> {
      JvmMemory m = JvmMemory.of(g.container);
      assertThat(m.limitMib() - m.heapMib())
          .as(g.name() + ": memory limit " + m.limitMib() + " MiB leaves too little beyond the"
              + " heap (" + m.heapMib() + " MiB) for metaspace, code, threads and buffers")
          .isGreaterThanOrEqualTo(NON_HEAP_MIB);
      Quantity request = g.container.getResources().getRequests().get("memory");
      assertThat(request).as(g.name() + ": memory request").isNotNull();
      assertThat(Quantity.getAmountInBytes(request))
          .as(g.name() + ": memory request above the limit")
          .isLessThanOrEqualTo(Quantity.getAmountInBytes(
              g.container.getResources().getLimits().get("memory")));
      if (m.flags().stream().anyMatch(f -> f.startsWith("-Xmx") && f.endsWith("64m"))) {
        assertThat(m.flags()).as(g.name() + ": the node-agent flags of docs/benchmarks.md")
            .contains("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-XX:ReservedCodeCacheSize=24m", "-Xss512k");
        assertThat(g.env).as(g.name()).containsEntry("MALLOC_ARENA_MAX", "2");
      }
      for (PipelineConfig p : g.config.pipelines().values()) {
        assertThat(p.processors()).as(g.name() + ": pipeline " + p.id()
            + " must start with memory_limiter, so refused data costs nothing").isNotEmpty();
        ComponentId first = p.processors().get(0);
        assertThat(first.type()).as(g.name() + ": pipeline " + p.id()).isEqualTo(
            "memory_limiter");
        ComponentConfig cc = g.config.component(ComponentKind.PROCESSOR, first);
        MemoryLimiterConfig limiter = (MemoryLimiterConfig) cc.config();
        if (limiter.limitMib > 0) {
          assertThat(limiter.limitMib).as(g.name() + ": memory_limiter limit_mib vs heap "
              + m.heapMib() + " MiB").isLessThan(m.heapMib());
          assertThat(limiter.spikeLimitMib).as(g.name() + ": spike_limit_mib")
              .isLessThan(limiter.limitMib);
        } else {
          assertThat(limiter.limitPercentage).as(g.name() + ": limit_percentage")
              .isBetween(1, 90);
          assertThat(limiter.spikeLimitPercentage).as(g.name())
              .isLessThan(limiter.limitPercentage);
        }
      }
    });
  }

  @Test
  void receiverPortsAreTheContainersPorts() {
    gateways().forEach(g -> {
      for (Optional<InetSocketAddress> endpoint : List.of(g.otlpGrpc(), g.otlpHttp())) {
        InetSocketAddress a = endpoint.orElseThrow(() -> new AssertionError(g.name()
            + ": OTLP receiver without gRPC and HTTP endpoints"));
        boolean podLocal = a.getAddress() != null && a.getAddress().isLoopbackAddress();
        if (!podLocal) {
          assertThat(g.container.getPorts()).as(g.name() + ": " + a + " is not declared")
              .anyMatch(p -> p.getContainerPort() == a.getPort());
        }
      }
    });
  }

  @Test
  void theNodeAgentRunsOnEveryNodeOnTheNodesPorts() {
    for (RenderedOverlay o : RENDERED.values()) {
      for (DaemonSet ds : o.all(DaemonSet.class)) {
        PodSpec pod = ds.getSpec().getTemplate().getSpec();
        assertThat(pod.getTolerations()).as(o + ": DaemonSet tolerations")
            .anyMatch(t -> "Exists".equals(t.getOperator()) && t.getKey() == null);
        GatewayContainer g = GatewayContainer.in(o).stream()
            .filter(c -> c.workload.owner() == ds).findFirst().orElseThrow();
        for (int port : List.of(g.otlpGrpc().orElseThrow().getPort(),
            g.otlpHttp().orElseThrow().getPort())) {
          assertThat(g.container.getPorts()).as(g.name() + ": hostPort for " + port)
              .anyMatch(p -> p.getContainerPort() == port && Integer.valueOf(port)
                  .equals(p.getHostPort()));
        }
        assertThat(fieldRefs(g.container)).as(g.name() + ": downward API")
            .containsEntry("HOST_IP", "status.hostIP")
            .containsEntry("K8S_NODE_NAME", "spec.nodeName");
        assertThat(g.configText).as(g.name() + ": the node's name goes on the data")
            .contains("${env:K8S_NODE_NAME}");
      }
    }
  }

  @Test
  void servicesHpaAndPdbPointAtTheGatewayDeployment() {
    for (RenderedOverlay o : RENDERED.values()) {
      for (Service s : o.services()) {
        List<RenderedOverlay.Workload> selected = o.selectedBy(s.getSpec().getSelector());
        assertThat(selected).as(o + ": Service " + s.getMetadata().getName() + " selects")
            .isNotEmpty();
        for (ServicePort sp : s.getSpec().getPorts()) {
          for (RenderedOverlay.Workload w : selected) {
            assertThat(w.template().getSpec().getContainers())
                .as(o + ": Service " + s.getMetadata().getName() + " targetPort "
                    + sp.getTargetPort())
                .anyMatch(c -> GatewayContainer.port(c, sp.getTargetPort()).isPresent());
          }
        }
      }
      for (HorizontalPodAutoscaler hpa : o.all(HorizontalPodAutoscaler.class)) {
        Deployment d = o.find(Deployment.class, hpa.getSpec().getScaleTargetRef().getName())
            .orElseThrow(() -> new AssertionError(o + ": HPA scales a missing Deployment"));
        for (Container c : d.getSpec().getTemplate().getSpec().getContainers()) {
          assertThat(c.getResources().getRequests()).as(o + ": CPU utilisation needs a CPU"
              + " request on " + c.getName()).containsKey("cpu");
        }
        for (PodDisruptionBudget pdb : o.all(PodDisruptionBudget.class)) {
          assertThat(o.selectedBy(pdb.getSpec().getSelector().getMatchLabels()))
              .as(o + ": PDB selects").extracting(RenderedOverlay.Workload::owner).contains(d);
          assertThat(pdb.getSpec().getMinAvailable().getIntVal())
              .as(o + ": PDB minAvailable below the HPA's minReplicas, or no node drains")
              .isLessThan(hpa.getSpec().getMinReplicas());
        }
      }
    }
  }

  @Test
  void otlpExportersSendToAServiceThatReceivesOtlp() {
    Map<String, Service> services = new LinkedHashMap<>();
    Map<String, RenderedOverlay> serviceOverlay = new LinkedHashMap<>();
    RENDERED.values().forEach(o -> o.services().forEach(s -> {
      services.put(s.getMetadata().getName(), s);
      serviceOverlay.put(s.getMetadata().getName(), o);
    }));
    gateways().forEach(g -> g.config.components(ComponentKind.EXPORTER).keySet().stream()
        .filter(id -> id.type().equals("otlp"))
        .map(id -> g.value("exporters", id.toString(), "endpoint").orElseThrow())
        .forEach(endpoint -> {
          URI uri = URI.create("grpc://" + endpoint);
          Service s = services.get(uri.getHost());
          if (s == null) {
            return; // a backend outside these manifests (Jaeger): the operator's to provide
          }
          ServicePort port = s.getSpec().getPorts().stream()
              .filter(p -> p.getPort() == uri.getPort()).findFirst()
              .orElseThrow(() -> new AssertionError(g.name() + ": Service " + uri.getHost()
                  + " has no port " + uri.getPort()));
          RenderedOverlay target = serviceOverlay.get(uri.getHost());
          List<GatewayContainer> receivers = GatewayContainer.in(target).stream()
              .filter(r -> target.selectedBy(s.getSpec().getSelector()).stream()
                  .anyMatch(w -> w.owner() == r.workload.owner()))
              .toList();
          assertThat(receivers).as(g.name() + ": " + endpoint + " reaches no gateway")
              .isNotEmpty();
          for (GatewayContainer r : receivers) {
            ContainerPort cp = GatewayContainer.port(r.container, port.getTargetPort())
                .orElseThrow();
            assertThat(cp.getContainerPort()).as(g.name() + ": " + endpoint
                + " lands on the OTLP gRPC receiver of " + r.name())
                .isEqualTo(r.otlpGrpc().orElseThrow().getPort());
          }
        }));
  }

  @Test
  void agentInjectionPutsTheJarWhereTheJvmLooksAndSendsToAGateway() {
    int injected = 0;
    for (RenderedOverlay o : RENDERED.values()) {
      for (RenderedOverlay.Workload w : o.workloads()) {
        PodSpec pod = w.template().getSpec();
        for (Container app : pod.getContainers()) {
          String toolOptions = GatewayContainer.environment(app).get("JAVA_TOOL_OPTIONS");
          if (toolOptions == null || !toolOptions.contains("-javaagent:")) {
            continue;
          }
          injected++;
          String where = o + ": " + w.name() + " container " + app.getName();
          String jar = toolOptions.replaceAll(".*-javaagent:(\\S+).*", "$1");
          VolumeMount appMount = mountHolding(app, jar).orElseThrow(() -> new AssertionError(
              where + ": " + jar + " is on no volume"));
          Container init = pod.getInitContainers().stream()
              .filter(c -> GatewayContainer.imageName(c.getImage()).equals("vigil/agent"))
              .findFirst().orElseThrow(() -> new AssertionError(where + ": no vigil/agent"
                  + " init container"));
          List<String> command = init.getCommand();
          assertThat(command).as(where + ": init command").hasSize(3);
          assertThat(command.get(0)).isEqualTo("cp");
          assertThat(command.get(1)).isEqualTo(AGENT_JAR_IN_IMAGE);
          VolumeMount initMount = mountHolding(init, command.get(2)).orElseThrow(
              () -> new AssertionError(where + ": init container copies to no volume"));
          assertThat(initMount.getName()).as(where + ": shared volume")
              .isEqualTo(appMount.getName());
          assertThat(command.get(2).substring(initMount.getMountPath().length()))
              .as(where + ": the file copied is the file loaded")
              .isEqualTo(jar.substring(appMount.getMountPath().length()));
          assertAgentReachesAGateway(o, w, app, where);
        }
      }
    }
    assertThat(injected).as("containers with the agent injected").isGreaterThan(0);
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void everyServiceAccountAPodRunsAsIsInTheOverlay(String overlay) {
    RenderedOverlay o = RENDERED.get(overlay);
    Set<String> accounts = o.all(ServiceAccount.class).stream()
        .map(a -> a.getMetadata().getNamespace() + "/" + a.getMetadata().getName())
        .collect(Collectors.toSet());
    for (RenderedOverlay.Workload w : o.workloads()) {
      String account = w.template().getSpec().getServiceAccountName();
      if (account != null) {
        // Else the API server refuses the pods: the workload never starts.
        assertThat(accounts).as(overlay + ": " + w.name() + "'s service account")
            .contains(w.owner().getMetadata().getNamespace() + "/" + account);
      }
    }
  }

  @Test
  void theClusterOverlaysGatewaysMayReadWhatK8sattributesWatchesAndNothingMore() {
    RenderedOverlay cluster = RENDERED.get("cluster");
    ClusterRoleBinding binding = cluster.find(ClusterRoleBinding.class, "vigil-k8sattributes")
        .orElseThrow(() -> new AssertionError("cluster: deploy/kubernetes/rbac not included"));
    ClusterRole role = cluster.find(ClusterRole.class, binding.getRoleRef().getName())
        .orElseThrow(() -> new AssertionError("cluster: no ClusterRole "
            + binding.getRoleRef().getName()));
    assertThat(role.getRules()).as("what k8sattributes watches")
        .anySatisfy(r -> assertThat(r.getResources()).contains("pods", "namespaces", "nodes"))
        .anySatisfy(r -> assertThat(r.getResources()).contains("replicasets"))
        .allSatisfy(r -> assertThat(r.getVerbs()).as("read only")
            .containsExactlyInAnyOrder("get", "list", "watch"));
    // The subjects' namespaces are written in the file: an overlay moving the gateways to
    // another namespace must move them too, or the gateways get 403s at start.
    Set<String> bound = binding.getSubjects().stream()
        .filter(s -> "ServiceAccount".equals(s.getKind()))
        .map(s -> s.getNamespace() + "/" + s.getName())
        .collect(Collectors.toSet());
    for (GatewayContainer g : GatewayContainer.in(cluster)) {
      String account = g.workload.template().getSpec().getServiceAccountName();
      assertThat(account).as(g.name() + ": runs as the default service account").isNotNull();
      assertThat(bound).as(g.name() + "'s service account bound to " + role.getMetadata()
          .getName()).contains(g.workload.owner().getMetadata().getNamespace() + "/" + account);
    }
  }

  private static void assertAgentReachesAGateway(RenderedOverlay o, RenderedOverlay.Workload w,
      Container app, String where) {
    Map<String, String> env = GatewayContainer.environment(app);
    String explicit = env.get("OTEL_EXPORTER_OTLP_ENDPOINT");
    if (explicit != null) {
      URI uri = URI.create(explicit);
      assertThat(uri.getHost()).as(where + ": an explicit endpoint here is the sidecar's")
          .isEqualTo("localhost");
      GatewayContainer sidecar = GatewayContainer.in(o).stream()
          .filter(g -> g.workload.owner() == w.owner()).findFirst()
          .orElseThrow(() -> new AssertionError(where + ": no gateway in the pod"));
      assertThat(sidecar.otlpHttp().orElseThrow().getPort()).as(where + ": sidecar port")
          .isEqualTo(uri.getPort());
      return;
    }
    // The agent's own default (docs/agent.md): http://$HOST_IP:4318, the node agent's hostPort.
    assertThat(fieldRefs(app)).as(where).containsEntry("HOST_IP", "status.hostIP");
    assertThat(o.all(DaemonSet.class)).as(where + ": a node agent in the same overlay")
        .anySatisfy(ds -> assertThat(ds.getSpec().getTemplate().getSpec().getContainers())
            .flatExtracting(Container::getPorts)
            .anyMatch(p -> Integer.valueOf(4318).equals(p.getHostPort())));
  }

  private static Optional<VolumeMount> mountHolding(Container c, String file) {
    return c.getVolumeMounts().stream()
        .filter(m -> file.startsWith(m.getMountPath().endsWith("/")
            ? m.getMountPath() : m.getMountPath() + "/"))
        .findFirst();
  }

  private static Map<String, String> fieldRefs(Container c) {
    Map<String, String> out = new LinkedHashMap<>();
    for (EnvVar e : c.getEnv()) {
      if (e.getValueFrom() != null && e.getValueFrom().getFieldRef() != null) {
        out.put(e.getName(), e.getValueFrom().getFieldRef().getFieldPath());
      }
    }
    return out;
  }

  private static Probe required(Probe probe, GatewayContainer g, String kind) {
    if (probe == null) {
      fail(g.name() + ": no " + kind + " probe");
    }
    return probe;
  }

  private static List<Container> concat(List<Container> a, List<Container> b) {
    List<Container> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }
}
