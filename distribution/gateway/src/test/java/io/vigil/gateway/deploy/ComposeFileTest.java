package io.vigil.gateway.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.JsonMetaSchema;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.NonValidationKeyword;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.vigil.core.component.ComponentRegistry;
import io.vigil.core.config.ConfigLoader;
import io.vigil.core.config.EnvSubstitution;
import io.vigil.core.config.GatewayConfig;
import io.vigil.core.config.HostPort;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * docker-compose.yaml is checked against the Compose specification's JSON Schema and against
 * the files and ports it names: every mounted file exists, the gateway config it mounts passes
 * the gateway's validation, the ports the gateway listens on are published and are the ones the
 * Kubernetes manifests use, the health check asks the admin port for /health, and Prometheus
 * and Grafana look for the services under the names and ports the stack gives them. It is not
 * run: no container engine runs where the tests do.
 */
class ComposeFileTest {

  static final Path COMPOSE = Repo.ROOT.resolve("docker-compose.yaml");
  private static JsonNode compose;
  private static JsonNode services;

  @BeforeAll
  static void read() throws IOException {
    // SnakeYAML, not Jackson: the file uses a YAML merge key (<<: *demo-service), which
    // Compose resolves and Jackson's YAML parser does not.
    Object tree = new Yaml().load(Files.readString(COMPOSE));
    compose = new ObjectMapper().valueToTree(tree);
    services = compose.get("services");
  }

  /** The health check the compose file and the image test both run: bash, /dev/tcp, no curl. */
  static String healthCheckScript(int port) {
    return "exec 3<>/dev/tcp/127.0.0.1/" + port + " && printf 'GET /health HTTP/1.0\\r\\n\\r\\n'"
        + " >&3 && head -1 <&3 | grep -q ' 200 '";
  }

  @Test
  void conformsToTheComposeSpecification() throws IOException {
    JsonSchema schema;
    try (InputStream in = getClass().getResourceAsStream("/compose-spec/compose-spec.json")) {
      // The schema names its parts with draft-04's "id" while declaring draft 2019-09, whose
      // meta-schema knows only "$id": "id" is read as the annotation it is.
      JsonMetaSchema meta = JsonMetaSchema.builder(JsonMetaSchema.getV201909())
          .keyword(new NonValidationKeyword("id")).build();
      schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V201909,
          b -> b.metaSchema(meta)).getSchema(in);
    }
    Set<ValidationMessage> errors = schema.validate(compose);
    assertThat(errors).as("docker-compose.yaml against the Compose schema").isEmpty();
    // The check bites: a misspelt service key is refused.
    JsonNode typo = compose.deepCopy();
    ((com.fasterxml.jackson.databind.node.ObjectNode) typo.get("services").get("jaeger"))
        .put("imagee", "x");
    assertThat(schema.validate(typo)).isNotEmpty();
  }

  @Test
  void everyMountedFileIsInTheRepository() {
    List<String> sources = new ArrayList<>();
    services.forEach(s -> s.path("volumes").forEach(v -> {
      String source = v.asText().split(":")[0];
      if (source.startsWith("./")) {
        sources.add(source);
      }
    }));
    assertThat(sources).isNotEmpty();
    for (String source : sources) {
      assertThat(Repo.ROOT.resolve(source)).as(source).exists();
    }
  }

  @Test
  void theGatewayConfigItMountsIsValidAndItsPortsArePublished() throws IOException {
    JsonNode gateway = services.get("vigil-gateway");
    assertThat(gateway.get("image").asText()).isEqualTo("vigil/gateway:" + Repo.imageTag());
    GatewayConfig config = mountedConfig(gateway);
    Set<Integer> published = publishedContainerPorts(gateway);
    JsonNode raw = new YAMLMapper().readTree(mountedConfigFile(gateway).toFile());
    int grpc = port(raw.at("/receivers/otlp/protocols/grpc/endpoint").asText());
    int http = port(raw.at("/receivers/otlp/protocols/http/endpoint").asText());
    int admin = HostPort.parse(config.telemetry().metrics.address, "admin").getPort();
    assertThat(published).contains(grpc, http, admin);

    // The same ports as the Kubernetes gateway containers.
    JsonNode daemonSet = new YAMLMapper().readTree(
        Repo.KUBERNETES.resolve("base/node-agent/daemonset.yaml").toFile());
    Set<Integer> k8sPorts = new HashSet<>();
    daemonSet.at("/spec/template/spec/containers/0/ports")
        .forEach(p -> k8sPorts.add(p.get("containerPort").asInt()));
    assertThat(k8sPorts).containsExactlyInAnyOrder(grpc, http, admin);

    List<String> test = new ArrayList<>();
    gateway.at("/healthcheck/test").forEach(t -> test.add(t.asText()));
    assertThat(test).containsExactly("CMD", "bash", "-c", healthCheckScript(admin));
  }

  @Test
  void theDemoServicesLoadTheAgentFromTheSharedVolumeAndSendToTheGateway() {
    JsonNode agent = services.get("vigil-agent");
    assertThat(agent.get("image").asText()).isEqualTo("vigil/agent:" + Repo.imageTag());
    String agentMount = agent.get("volumes").get(0).asText();
    String volume = agentMount.split(":")[0];
    String mountPath = agentMount.split(":")[1];
    assertThat(compose.get("volumes").has(volume)).as("named volume " + volume).isTrue();
    int demo = 0;
    for (String name : List.of("storefront", "orders", "inventory", "payments")) {
      JsonNode s = services.get(name);
      demo++;
      assertThat(s.get("image").asText()).isEqualTo("vigil/demo-services:" + Repo.imageTag());
      assertThat(s.path("environment").path("JAVA_TOOL_OPTIONS").asText())
          .as(name).isEqualTo("-javaagent:" + mountPath + "/vigil-agent.jar");
      assertThat(s.get("volumes").get(0).asText()).as(name)
          .startsWith(volume + ":" + mountPath);
      assertThat(s.at("/depends_on/vigil-agent/condition").asText())
          .isEqualTo("service_completed_successfully");
      String gatewayHost = s.path("environment").path("VIGIL_GATEWAY_HOST").asText();
      assertThat(services.has(gatewayHost)).as(name + ": VIGIL_GATEWAY_HOST").isTrue();
      // The agent sends OTLP/HTTP to port 4318 of that host (docs/agent.md).
      assertThat(publishedContainerPorts(services.get(gatewayHost))).contains(4318);
    }
    assertThat(demo).isEqualTo(4);
    // The services call each other by service name.
    assertThat(services.get("storefront").get("command").toString())
        .contains("http://orders:8080");
  }

  @Test
  void prometheusAndGrafanaFindTheServicesWhereTheStackPutsThem() throws IOException {
    JsonNode prometheus = new YAMLMapper().readTree(
        Repo.DEPLOY.resolve("compose/prometheus.yml").toFile());
    GatewayConfig gateway = mountedConfig(services.get("vigil-gateway"));
    JsonNode raw = new YAMLMapper().readTree(
        mountedConfigFile(services.get("vigil-gateway")).toFile());
    Set<String> expected = Set.of(
        "vigil-gateway:" + port(raw.at("/exporters/prometheus/endpoint").asText()),
        "vigil-gateway:" + HostPort.parse(gateway.telemetry().metrics.address, "a").getPort());
    Set<String> targets = new HashSet<>();
    prometheus.get("scrape_configs").forEach(c -> c.at("/static_configs/0/targets")
        .forEach(t -> targets.add(t.asText())));
    assertThat(targets).containsExactlyInAnyOrderElementsOf(expected);

    JsonNode datasources = new YAMLMapper().readTree(
        Repo.DEPLOY.resolve("grafana/provisioning/datasources/vigil.yaml").toFile());
    Map<String, String> urls = new HashMap<>();
    datasources.get("datasources").forEach(d -> urls.put(d.get("uid").asText(),
        d.get("url").asText()));
    // OpenSearch is the provisioned alternative to Elasticsearch; this stack runs the latter.
    for (String uid : List.of("prometheus", "jaeger", "elasticsearch")) {
      java.net.URI url = java.net.URI.create(urls.get(uid));
      assertThat(services.has(url.getHost())).as("Grafana data source " + uid).isTrue();
    }
    assertThat(Repo.DEPLOY.resolve("grafana/dashboards")).isDirectoryContaining("glob:**.json");
  }

  private static Path mountedConfigFile(JsonNode gateway) {
    List<String> command = new ArrayList<>();
    gateway.get("command").forEach(c -> command.add(c.asText()));
    String path = command.get(command.indexOf("--config") + 1);
    for (JsonNode v : gateway.get("volumes")) {
      String[] parts = v.asText().split(":");
      if (parts[1].equals(path)) {
        return Repo.ROOT.resolve(parts[0]);
      }
    }
    throw new AssertionError("--config " + path + " is not mounted");
  }

  private static GatewayConfig mountedConfig(JsonNode gateway) {
    Map<String, String> env = new HashMap<>();
    gateway.path("environment").fields().forEachRemaining(e ->
        env.put(e.getKey(), e.getValue().asText()));
    return new ConfigLoader(ComponentRegistry.load(), new EnvSubstitution(env::get))
        .load(mountedConfigFile(gateway));
  }

  private static Set<Integer> publishedContainerPorts(JsonNode service) {
    Set<Integer> out = new HashSet<>();
    service.path("ports").forEach(p -> {
      String[] parts = p.asText().split(":");
      out.add(Integer.parseInt(parts[parts.length - 1].split("/")[0]));
    });
    return out;
  }

  private static int port(String endpoint) {
    return Integer.parseInt(endpoint.substring(endpoint.lastIndexOf(':') + 1));
  }
}
