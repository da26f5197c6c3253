package io.vigil.core.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.vigil.core.Signal;
import io.vigil.core.component.ComponentFactory;
import io.vigil.core.component.ComponentId;
import io.vigil.core.component.ComponentKind;
import io.vigil.core.component.ComponentRegistry;
import io.vigil.core.component.ConnectorFactory;
import io.vigil.core.component.ExporterFactory;
import io.vigil.core.component.ProcessorFactory;
import io.vigil.core.component.ReceiverFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Loads a config file in the OpenTelemetry Collector's layout and validates it completely
 * before anything starts: every error names the key path where it was found.
 */
public final class ConfigLoader {

  private static final Set<String> TOP_LEVEL =
      Set.of("receivers", "processors", "exporters", "connectors", "extensions", "service");
  private static final Set<String> SERVICE_KEYS = Set.of("pipelines", "extensions", "telemetry");
  private static final Set<String> PIPELINE_KEYS = Set.of("receivers", "processors", "exporters");

  private final ComponentRegistry registry;
  private final EnvSubstitution env;
  private final ObjectMapper yaml = new YAMLMapper();
  private final ObjectMapper binder;

  public ConfigLoader(ComponentRegistry registry, EnvSubstitution env) {
    this.registry = registry;
    this.env = env;
    this.binder = configBinder();
  }

  public ConfigLoader(ComponentRegistry registry) {
    this(registry, EnvSubstitution.fromSystem());
  }

  /** The mapper that fills component config beans: snake_case keys, strict, deep merge. */
  public static ObjectMapper configBinder() {
    ObjectMapper m = new ObjectMapper();
    m.setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
    m.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    m.enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
    m.disable(MapperFeature.AUTO_DETECT_GETTERS);
    m.disable(MapperFeature.AUTO_DETECT_IS_GETTERS);
    // Nested blocks merge into their defaults, so `sending_queue: {queue_size: 10}` keeps the
    // other sending_queue defaults; lists are replaced, never appended to.
    m.setDefaultMergeable(true);
    m.configOverride(List.class).setMergeable(false);
    SimpleModule durations = new SimpleModule("go-durations");
    durations.addDeserializer(Duration.class, new DurationDeserializer());
    m.registerModule(durations);
    return m;
  }

  public GatewayConfig load(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new ConfigException("", "config file " + file + " does not exist");
    } catch (IOException e) {
      throw new ConfigException("", "cannot read config file " + file + ": " + e.getMessage());
    }
    return load(text);
  }

  public GatewayConfig load(String yamlText) {
    JsonNode root;
    try {
      root = yaml.readTree(yamlText);
    } catch (JsonProcessingException e) {
      throw new ConfigException("", "not valid YAML: " + e.getOriginalMessage()
          + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")"));
    }
    if (root == null || root.isMissingNode() || root.isNull()) {
      throw new ConfigException("", "config is empty");
    }
    if (!root.isObject()) {
      throw new ConfigException("", "config must be a mapping with receivers, exporters, service");
    }
    root = expandEnv(root, "");
    for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!TOP_LEVEL.contains(k)) {
        throw new ConfigException(k, "unknown top-level key; valid keys are " + sorted(TOP_LEVEL));
      }
    }

    Map<ComponentKind, Map<ComponentId, ComponentConfig>> components =
        new EnumMap<>(ComponentKind.class);
    for (ComponentKind kind : ComponentKind.values()) {
      components.put(kind, loadSection(kind, root.get(kind.section())));
    }

    JsonNode service = root.get("service");
    if (service == null || service.isNull()) {
      throw new ConfigException("service", "missing: a config needs service::pipelines");
    }
    requireObject(service, "service");
    checkKeys(service, "service", SERVICE_KEYS);
    Map<PipelineId, PipelineConfig> pipelines = loadPipelines(service.get("pipelines"));
    List<ComponentId> extensions =
        loadIdList(service.get("extensions"), "service::extensions");
    for (ComponentId ext : extensions) {
      if (!components.get(ComponentKind.EXTENSION).containsKey(ext)) {
        throw new ConfigException(
            "service::extensions",
            "references extension \"" + ext + "\" which is not configured under extensions");
      }
    }
    TelemetryConfig telemetry =
        bind(service.get("telemetry"), new TelemetryConfig(), "service::telemetry");
    validateGraph(components, pipelines);
    return new GatewayConfig(components, pipelines, extensions, telemetry);
  }

  private JsonNode expandEnv(JsonNode node, String path) {
    if (node.isTextual()) {
      return TextNode.valueOf(env.expand(node.textValue(), path));
    }
    if (node.isObject()) {
      ObjectNode out = JsonNodeFactory.instance.objectNode();
      node.fields()
          .forEachRemaining(
              e -> out.set(e.getKey(), expandEnv(e.getValue(), join(path, e.getKey()))));
      return out;
    }
    if (node.isArray()) {
      var out = JsonNodeFactory.instance.arrayNode();
      for (int i = 0; i < node.size(); i++) {
        out.add(expandEnv(node.get(i), join(path, String.valueOf(i))));
      }
      return out;
    }
    return node;
  }

  private Map<ComponentId, ComponentConfig> loadSection(ComponentKind kind, JsonNode section) {
    Map<ComponentId, ComponentConfig> out = new LinkedHashMap<>();
    if (section == null || section.isNull()) {
      return out;
    }
    requireObject(section, kind.section());
    for (Iterator<Map.Entry<String, JsonNode>> it = section.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String path = kind.section() + "::" + e.getKey();
      ComponentId id;
      try {
        id = ComponentId.parse(e.getKey());
      } catch (IllegalArgumentException ex) {
        throw new ConfigException(path, ex.getMessage());
      }
      ComponentFactory<?> factory = registry.factory(kind, id.type());
      if (factory == null) {
        throw new ConfigException(
            path,
            "unknown " + singular(kind) + " type \"" + id.type() + "\"; known types: "
                + String.join(", ", registry.types(kind)));
      }
      if (out.containsKey(id)) {
        throw new ConfigException(path, "duplicate ID (after normalising) " + id);
      }
      out.put(id, new ComponentConfig(kind, id, factory, bindComponent(factory, e.getValue(), path)));
    }
    return out;
  }

  private <C> C bindComponent(ComponentFactory<C> factory, JsonNode node, String path) {
    C config = bind(node, factory.createDefaultConfig(), path);
    try {
      factory.validate(config);
    } catch (ConfigException e) {
      throw e.under(path);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(path, e.getMessage());
    }
    return config;
  }

  /** Overwrites {@code defaults} with what the node sets; errors carry the full key path. */
  public <C> C bind(JsonNode node, C defaults, String path) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return defaults;
    }
    if (!node.isObject()) {
      throw new ConfigException(path, "expected a mapping of keys, found " + describe(node));
    }
    try {
      return binder.readerForUpdating(defaults).readValue(node);
    } catch (UnrecognizedPropertyException e) {
      String key = join(path, jsonPath(e));
      Collection<Object> known = e.getKnownPropertyIds();
      throw new ConfigException(
          key,
          "unknown key \"" + e.getPropertyName() + "\""
              + (known == null || known.isEmpty()
                  ? ""
                  : "; valid keys here: "
                      + known.stream().map(Object::toString).sorted().collect(Collectors.joining(", "))));
    } catch (InvalidFormatException e) {
      throw new ConfigException(
          join(path, jsonPath(e)),
          "cannot use " + describe(e.getValue()) + " as " + simpleType(e.getTargetType()));
    } catch (MismatchedInputException e) {
      throw new ConfigException(
          join(path, jsonPath(e)),
          "wrong kind of value: expected " + simpleType(e.getTargetType()));
    } catch (JsonMappingException e) {
      Throwable root = e;
      while (root.getCause() != null) {
        root = root.getCause();
      }
      throw new ConfigException(join(path, jsonPath(e)), root.getMessage());
    } catch (IOException e) {
      throw new ConfigException(path, e.getMessage());
    }
  }

  private Map<PipelineId, PipelineConfig> loadPipelines(JsonNode node) {
    String path = "service::pipelines";
    if (node == null || node.isNull() || node.size() == 0) {
      throw new ConfigException(path, "no pipelines configured; add e.g. traces: {receivers:"
          + " [otlp], exporters: [debug]}");
    }
    requireObject(node, path);
    Map<PipelineId, PipelineConfig> out = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String p = path + "::" + e.getKey();
      PipelineId id;
      try {
        id = PipelineId.parse(e.getKey());
      } catch (IllegalArgumentException ex) {
        throw new ConfigException(p, ex.getMessage());
      }
      JsonNode body = e.getValue();
      if (body == null || body.isNull()) {
        throw new ConfigException(p, "pipeline is empty; it needs receivers and exporters");
      }
      requireObject(body, p);
      checkKeys(body, p, PIPELINE_KEYS);
      List<ComponentId> receivers = loadIdList(body.get("receivers"), p + "::receivers");
      List<ComponentId> processors = loadIdList(body.get("processors"), p + "::processors");
      List<ComponentId> exporters = loadIdList(body.get("exporters"), p + "::exporters");
      if (receivers.isEmpty()) {
        throw new ConfigException(p + "::receivers", "a pipeline needs at least one receiver");
      }
      if (exporters.isEmpty()) {
        throw new ConfigException(p + "::exporters", "a pipeline needs at least one exporter");
      }
      out.put(id, new PipelineConfig(id, receivers, processors, exporters));
    }
    return out;
  }

  private List<ComponentId> loadIdList(JsonNode node, String path) {
    List<ComponentId> out = new ArrayList<>();
    if (node == null || node.isNull()) {
      return out;
    }
    if (!node.isArray()) {
      throw new ConfigException(path, "expected a list of component IDs, found " + describe(node));
    }
    Set<ComponentId> seen = new HashSet<>();
    for (int i = 0; i < node.size(); i++) {
      JsonNode item = node.get(i);
      if (!item.isTextual()) {
        throw new ConfigException(path + "::" + i, "expected a component ID, found " + describe(item));
      }
      ComponentId id;
      try {
        id = ComponentId.parse(item.textValue());
      } catch (IllegalArgumentException ex) {
        throw new ConfigException(path + "::" + i, ex.getMessage());
      }
      if (!seen.add(id)) {
        throw new ConfigException(path, "lists \"" + id + "\" twice");
      }
      out.add(id);
    }
    return out;
  }

  private void validateGraph(
      Map<ComponentKind, Map<ComponentId, ComponentConfig>> components,
      Map<PipelineId, PipelineConfig> pipelines) {
    Map<ComponentId, ComponentConfig> connectors = components.get(ComponentKind.CONNECTOR);
    Map<ComponentId, Set<Signal<?>>> connectorFrom = new LinkedHashMap<>();
    Map<ComponentId, Set<Signal<?>>> connectorTo = new LinkedHashMap<>();
    for (PipelineConfig pipeline : pipelines.values()) {
      String p = "service::pipelines::" + pipeline.id();
      Signal<?> signal = pipeline.id().signal();
      for (ComponentId r : pipeline.receivers()) {
        ComponentConfig c = components.get(ComponentKind.RECEIVER).get(r);
        if (c == null && connectors.containsKey(r)) {
          connectorTo.computeIfAbsent(r, k -> new HashSet<>()).add(signal);
          continue;
        }
        if (c == null) {
          throw undefined(p + "::receivers", "receiver", r, "receivers");
        }
        if (!((ReceiverFactory<?>) c.factory()).signals().contains(signal)) {
          throw unsupported(p + "::receivers", "receiver", r, signal);
        }
      }
      for (ComponentId id : pipeline.processors()) {
        ComponentConfig c = components.get(ComponentKind.PROCESSOR).get(id);
        if (c == null) {
          throw undefined(p + "::processors", "processor", id, "processors");
        }
        if (!((ProcessorFactory<?>) c.factory()).signals().contains(signal)) {
          throw unsupported(p + "::processors", "processor", id, signal);
        }
      }
      for (ComponentId e : pipeline.exporters()) {
        ComponentConfig c = components.get(ComponentKind.EXPORTER).get(e);
        if (c == null && connectors.containsKey(e)) {
          connectorFrom.computeIfAbsent(e, k -> new HashSet<>()).add(signal);
          continue;
        }
        if (c == null) {
          throw undefined(p + "::exporters", "exporter", e, "exporters");
        }
        if (!((ExporterFactory<?>) c.factory()).signals().contains(signal)) {
          throw unsupported(p + "::exporters", "exporter", e, signal);
        }
      }
    }
    checkNoCycles(pipelines, connectors.keySet());
    for (ComponentConfig c : connectors.values()) {
      Set<Signal<?>> from = connectorFrom.getOrDefault(c.id(), Set.of());
      Set<Signal<?>> to = connectorTo.getOrDefault(c.id(), Set.of());
      if (from.isEmpty() && to.isEmpty()) {
        continue;
      }
      if (from.isEmpty() || to.isEmpty()) {
        throw new ConfigException(
            c.keyPath(),
            "connector is used as " + (from.isEmpty() ? "a receiver" : "an exporter")
                + " but no pipeline uses it as " + (from.isEmpty() ? "an exporter" : "a receiver"));
      }
      ConnectorFactory<?> f = (ConnectorFactory<?>) c.factory();
      boolean any = false;
      for (Signal<?> a : from) {
        for (Signal<?> b : to) {
          any |= f.supports(a, b);
        }
      }
      if (!any) {
        throw new ConfigException(
            c.keyPath(), "connector cannot turn " + from + " into " + to);
      }
    }
  }

  /** Connectors join pipelines; a loop would pass each batch round forever. */
  private static void checkNoCycles(
      Map<PipelineId, PipelineConfig> pipelines, Set<ComponentId> connectors) {
    Map<PipelineId, Integer> state = new LinkedHashMap<>();
    for (PipelineId p : pipelines.keySet()) {
      visit(p, pipelines, connectors, state);
    }
  }

  private static void visit(
      PipelineId p,
      Map<PipelineId, PipelineConfig> pipelines,
      Set<ComponentId> connectors,
      Map<PipelineId, Integer> state) {
    Integer st = state.get(p);
    if (st != null) {
      if (st == 1) {
        throw new ConfigException(
            "service::pipelines::" + p, "pipelines form a cycle through connectors");
      }
      return;
    }
    state.put(p, 1);
    for (ComponentId e : pipelines.get(p).exporters()) {
      if (!connectors.contains(e)) {
        continue;
      }
      for (PipelineConfig q : pipelines.values()) {
        if (q.receivers().contains(e)) {
          visit(q.id(), pipelines, connectors, state);
        }
      }
    }
    state.put(p, 2);
  }

  private static ConfigException undefined(String path, String what, ComponentId id, String section) {
    return new ConfigException(
        path, "references " + what + " \"" + id + "\" which is not configured under " + section);
  }

  private static ConfigException unsupported(String path, String what, ComponentId id, Signal<?> s) {
    return new ConfigException(
        path, what + " \"" + id + "\" does not support " + s.name());
  }

  private static void requireObject(JsonNode node, String path) {
    if (!node.isObject()) {
      throw new ConfigException(path, "expected a mapping, found " + describe(node));
    }
  }

  private static void checkKeys(JsonNode node, String path, Set<String> allowed) {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!allowed.contains(k)) {
        throw new ConfigException(
            path + "::" + k, "unknown key \"" + k + "\"; valid keys here: " + sorted(allowed));
      }
    }
  }

  private static String jsonPath(JsonMappingException e) {
    return e.getPath().stream()
        .map(r -> r.getFieldName() != null ? r.getFieldName() : String.valueOf(r.getIndex()))
        .collect(Collectors.joining("::"));
  }

  private static String join(String a, String b) {
    if (b == null || b.isEmpty()) {
      return a;
    }
    return a.isEmpty() ? b : a + "::" + b;
  }

  private static String describe(Object v) {
    if (v instanceof JsonNode) {
      JsonNode n = (JsonNode) v;
      if (n.isArray()) {
        return "a list";
      }
      if (n.isObject()) {
        return "a mapping";
      }
      return "\"" + n.asText() + "\"";
    }
    return "\"" + v + "\"";
  }

  private static String simpleType(Class<?> t) {
    if (t == null) {
      return "the expected type";
    }
    if (t == int.class || t == Integer.class || t == long.class || t == Long.class) {
      return "an integer";
    }
    if (t == double.class || t == Double.class) {
      return "a number";
    }
    if (t == boolean.class || t == Boolean.class) {
      return "true or false";
    }
    if (t == Duration.class) {
      return "a duration such as 5s";
    }
    if (t == String.class) {
      return "a string";
    }
    if (List.class.isAssignableFrom(t)) {
      return "a list";
    }
    if (Map.class.isAssignableFrom(t)) {
      return "a mapping";
    }
    return "a " + t.getSimpleName() + " block";
  }

  private static String sorted(Set<String> s) {
    return s.stream().sorted().collect(Collectors.joining(", "));
  }

  private static String singular(ComponentKind kind) {
    return kind.name().toLowerCase();
  }

  /** Go-style durations: {@code 5s}, {@code 200ms}. */
  private static final class DurationDeserializer extends StdScalarDeserializer<Duration> {
    DurationDeserializer() {
      super(Duration.class);
    }

    @Override
    public Duration deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
      String text = p.getValueAsString();
      if (text == null) {
        return (Duration) ctx.handleUnexpectedToken(Duration.class, p);
      }
      try {
        return GoDuration.parse(text);
      } catch (IllegalArgumentException e) {
        throw InvalidFormatException.from(p, e.getMessage(), text, Duration.class);
      }
    }

    @Override
    public Duration getNullValue(DeserializationContext ctx) {
      return null;
    }
  }

}
