package io.vigil.gateway.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The demo on Kubernetes (deploy/kubernetes/overlays/demo) against the demo's own code: each
 * service is called at a Service that exists and lands on the port the called service binds
 * (the {@code --vigil.demo.*-url} arguments, whose names must be the properties
 * demo/services reads, or Spring ignores them and the service calls 127.0.0.1); probes ask the
 * health endpoint the services serve, on the port they bind; the traffic generator reaches all
 * four; every demo JVM's heap fits its memory limit with room for the agent. Rendering needs
 * kubectl (skipped, saying why, without it); KubernetesManifestFilesTest reads the same files
 * strictly either way, and KubernetesManifestsTest checks images, gateways and injection.
 */
class KubernetesDemoOverlayTest {

  private static final Path SERVICES_SOURCE = Repo.ROOT.resolve("demo/services/src/main");
  private static final String SERVICES_IMAGE = "vigil/demo-services";
  private static final Pattern ROLE = Pattern.compile("havingValue = \"(\\w+)\"");
  private static final Pattern CALL = Pattern.compile("downstream\\.(?:get|post)\\(\"(\\w+)\"");
  private static final Pattern HEALTH = Pattern.compile("@GetMapping\\(\"(/admin/health)\"\\)");
  private static final Pattern ARG = Pattern.compile("--([\\w.-]+)=(.*)");

  /**
   * Memory a demo service's JVM uses beyond its heap, under vigil-agent with the demo's flags
   * (-Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1): Native Memory Tracking's committed
   * total less the heap was 126 MiB after start-up and 3,000 requests (metaspace 55 MiB: Spring
   * Boot, Tomcat, H2 and the agent's classes; code 20 MiB; 43 threads), measured 2026-11-29;
   * rounded up for what NMT does not count (the JVM's libraries, malloc arenas) and the fault
   * injector's threads.
   */
  static final long DEMO_NON_HEAP_MIB = 192;

  private static RenderedOverlay demo;
  private static Map<String, RenderedOverlay> overlays;

  @BeforeAll
  static void render() throws IOException, InterruptedException {
    overlays = RenderedOverlays.all();
    demo = overlays.get("demo");
  }

  @BeforeEach
  void rendered() {
    Assumptions.assumeTrue(RenderedOverlays.whyNot() == null, RenderedOverlays.whyNot());
  }

  @Test
  void theDemoRunsFourServicesTheNodeAgentAndTheTrafficGenerator() throws IOException {
    assertThat(demo).as("deploy/kubernetes/overlays/demo").isNotNull();
    assertThat(services().keySet()).as("roles run from " + SERVICES_IMAGE)
        .containsExactlyInAnyOrderElementsOf(callsByRole().keySet());
    assertThat(demo.all(DaemonSet.class)).as("the node agent the services' agents send to")
        .hasSize(1);
    assertThat(demo.all(Job.class)).as("the traffic generator").hasSize(1);
  }

  @Test
  void everyCallBetweenServicesGoesToAServiceOfTheCalledRoleOnThePortItBinds()
      throws IOException {
    Map<String, Set<String>> calls = callsByRole();
    Properties defaults = applicationProperties();
    Set<String> read = demoProperties();
    Map<String, RoleContainer> services = services();
    for (RoleContainer caller : services.values()) {
      for (String callee : calls.get(caller.role)) {
        String property = "vigil.demo." + callee + "-url";
        assertThat(read).as("DemoProperties").contains(property);
        String url = caller.args.get(property);
        assertThat(url).as(caller.role + " calls " + callee + " (" + calls.get(caller.role)
            + " in its code) but does not set --" + property + "; the default "
            + defaults.get(property) + " is the pod itself").isNotNull();
        assertReaches(caller.role + "'s " + property, url, services.get(callee));
      }
      caller.args.keySet().stream().filter(k -> k.startsWith("vigil.demo.")).forEach(k ->
          assertThat(read).as(caller.role + ": --" + k + " is no property demo/services"
              + " reads: Spring would ignore it").contains(k));
    }
  }

  @Test
  void theTrafficGeneratorReachesEveryService() throws IOException {
    Container traffic = demo.all(Job.class).get(0).getSpec().getTemplate().getSpec()
        .getContainers().get(0);
    Map<String, String> targets = new TreeMap<>();
    for (String arg : traffic.getArgs()) {
      Matcher m = Pattern.compile("--service=(\\w+)=(.+)").matcher(arg);
      if (m.matches()) {
        targets.put(m.group(1), m.group(2));
      }
    }
    Map<String, RoleContainer> services = services();
    // The generator's defaults are 127.0.0.1: every service must be given, each where it runs.
    assertThat(targets.keySet()).containsExactlyInAnyOrderElementsOf(services.keySet());
    targets.forEach((role, url) -> assertReaches("traffic --service " + role, url,
        services.get(role)));
    assertThat(traffic.getArgs()).as("it waits for the services, which start with it")
        .anyMatch(a -> a.startsWith("--wait-for-services="));
  }

  @Test
  void containerPortsAndProbesAreWhatTheServicesBindAndServe() throws IOException {
    Matcher health = HEALTH.matcher(Files.readString(SERVICES_SOURCE.resolve(
        "java/io/vigil/demo/services/HealthController.java")));
    assertThat(health.find()).as("HealthController's endpoint").isTrue();
    for (RoleContainer s : services().values()) {
      int bound = Integer.parseInt(s.args.getOrDefault("server.port", "8080"));
      assertThat(s.container.getPorts()).as(s.role + ": container ports")
          .extracting(ContainerPort::getContainerPort).containsExactly(bound);
      assertThat(s.container.getReadinessProbe()).as(s.role + ": readiness probe").isNotNull();
      assertThat(s.container.getLivenessProbe()).as(s.role + ": liveness probe").isNotNull();
      List<Probe> probes = Stream.of(s.container.getStartupProbe(),
          s.container.getLivenessProbe(), s.container.getReadinessProbe())
          .filter(p -> p != null).toList();
      for (Probe p : probes) {
        assertThat(p.getHttpGet()).as(s.role + ": probes are HTTP GETs").isNotNull();
        HTTPGetAction get = p.getHttpGet();
        assertThat(get.getPath()).as(s.role + ": probe path").isEqualTo(health.group(1));
        assertThat(GatewayContainer.port(s.container, get.getPort()))
            .as(s.role + ": probe port " + get.getPort()).get()
            .extracting(ContainerPort::getContainerPort).isEqualTo(bound);
      }
    }
  }

  @Test
  void everyDemoJvmsHeapFitsItsMemoryLimitWithRoomForTheAgent() {
    int checked = 0;
    for (RenderedOverlay o : overlays.values()) {
      for (RenderedOverlay.Workload w : o.workloads()) {
        for (Container c : w.template().getSpec().getContainers()) {
          String image = GatewayContainer.imageName(c.getImage());
          if (!image.startsWith("vigil/demo-")) {
            continue;
          }
          JvmMemory m = JvmMemory.of(c);
          long room = image.equals(SERVICES_IMAGE) ? DEMO_NON_HEAP_MIB
              : KubernetesManifestsTest.NON_HEAP_MIB;
          assertThat(m.limitMib() - m.heapMib()).as(o + ": " + w.name() + " " + c.getName()
              + ": memory limit " + m.limitMib() + " MiB leaves too little beyond the heap ("
              + m.heapMib() + " MiB)").isGreaterThanOrEqualTo(room);
          assertThat(c.getResources().getRequests()).as(o + ": " + w.name() + ": requests")
              .containsKeys("cpu", "memory");
          checked++;
        }
      }
    }
    assertThat(checked).as("demo containers").isGreaterThanOrEqualTo(6);
  }

  /** A demo-services container of the demo overlay, by the role its arguments give it. */
  record RoleContainer(String role, RenderedOverlay.Workload workload, Container container,
      Map<String, String> args) {}

  private static Map<String, RoleContainer> services() {
    Map<String, RoleContainer> out = new TreeMap<>();
    for (RenderedOverlay.Workload w : demo.workloads()) {
      for (Container c : w.template().getSpec().getContainers()) {
        if (!GatewayContainer.imageName(c.getImage()).equals(SERVICES_IMAGE)) {
          continue;
        }
        Map<String, String> args = new LinkedHashMap<>();
        for (String a : c.getArgs()) {
          Matcher m = ARG.matcher(a);
          assertThat(m.matches()).as(w.name() + ": Spring argument " + a).isTrue();
          args.put(m.group(1), m.group(2));
        }
        String role = args.get("vigil.demo.role");
        assertThat(role).as(w.name() + ": --vigil.demo.role").isNotNull();
        assertThat(out).as("two workloads run " + role).doesNotContainKey(role);
        out.put(role, new RoleContainer(role, w, c, args));
      }
    }
    return out;
  }

  /**
   * That the URL names a Service of the demo overlay, in the caller's namespace, on one of its
   * ports, selecting the pods of the expected role, whose container binds the target port.
   */
  private static void assertReaches(String what, String url, RoleContainer callee) {
    assertThat(callee).as(what + ": no such service in the overlay").isNotNull();
    URI uri = URI.create(url);
    assertThat(uri.getScheme()).as(what).isEqualTo("http");
    Service service = demo.services().stream()
        .filter(s -> s.getMetadata().getName().equals(uri.getHost())
            && s.getMetadata().getNamespace().equals(
                callee.workload.owner().getMetadata().getNamespace()))
        .findFirst().orElseThrow(() -> new AssertionError(what + ": " + url + " names no"
            + " Service in namespace " + callee.workload.owner().getMetadata().getNamespace()));
    int port = uri.getPort() < 0 ? 80 : uri.getPort();
    ServicePort sp = service.getSpec().getPorts().stream().filter(p -> p.getPort() == port)
        .findFirst().orElseThrow(() -> new AssertionError(what + ": Service "
            + uri.getHost() + " has no port " + port));
    assertThat(demo.selectedBy(service.getSpec().getSelector()))
        .as(what + ": Service " + uri.getHost() + " selects the " + callee.role + " pods")
        .extracting(RenderedOverlay.Workload::owner).containsExactly(callee.workload.owner());
    ContainerPort target = GatewayContainer.port(callee.container, sp.getTargetPort())
        .orElseThrow(() -> new AssertionError(what + ": targetPort " + sp.getTargetPort()
            + " is not a port of " + callee.role));
    assertThat(target.getContainerPort()).as(what + ": lands on the port " + callee.role
        + " binds").isEqualTo(Integer.parseInt(callee.args.getOrDefault("server.port",
            "8080")));
  }

  /** Which services each role calls, from demo/services' controllers (Downstream calls). */
  static Map<String, Set<String>> callsByRole() throws IOException {
    Map<String, Set<String>> out = new TreeMap<>();
    try (Stream<Path> files = Files.walk(SERVICES_SOURCE.resolve("java"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        String code = Files.readString(f);
        Matcher role = ROLE.matcher(code);
        if (!role.find()) {
          continue;
        }
        Set<String> called = out.computeIfAbsent(role.group(1), r -> new TreeSet<>());
        Matcher call = CALL.matcher(code);
        while (call.find()) {
          called.add(call.group(1));
        }
      }
    }
    assertThat(out).as("roles in demo/services").containsKeys("storefront", "orders",
        "inventory", "payments");
    assertThat(out.get("orders")).as("the call graph of demo/README.md, read from the code")
        .contains("inventory", "payments");
    return out;
  }

  /** The vigil.demo.* properties, from DemoProperties' record components, as Spring binds them. */
  private static Set<String> demoProperties() throws IOException {
    Matcher record = Pattern.compile("record DemoProperties\\(([^)]*)\\)").matcher(
        Files.readString(SERVICES_SOURCE.resolve(
            "java/io/vigil/demo/services/DemoProperties.java")));
    assertThat(record.find()).as("DemoProperties is a record").isTrue();
    Set<String> out = new TreeSet<>();
    for (String component : record.group(1).split(",")) {
      String name = component.trim().replaceAll(".*\\s", "");
      out.add("vigil.demo." + name.replaceAll("([A-Z])", "-$1").toLowerCase(Locale.ROOT));
    }
    assertThat(out).as("DemoProperties").contains("vigil.demo.role");
    return out;
  }

  private static Properties applicationProperties() throws IOException {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(SERVICES_SOURCE.resolve(
        "resources/application.properties"))) {
      p.load(r);
    }
    return p;
  }
}
