package io.vigil.core.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.InvalidNullException;
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

  /**
   * Starts the problem reported when a component's validation throws something other than a
   * config error: a bug in that component, reported under its key path instead of escaping.
   */
  public static final String UNEXPECTED_VALIDATION_FAILURE =
      "validation failed unexpectedly; a value here is one this component does not handle: ";

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
    // A key with nothing after it (`tls:`, `endpoint:`) keeps its default, as in the
    // Collector, instead of binding null where every validator reads a value (found by
    // ConfigLoaderFuzzTest). A list item or map value without one (`[a, ]`) is an error naming
    // it: dropping it would lose what was meant silently, keeping it hands validators a null.
    m.setDefaultSetterInfo(JsonSetter.Value.construct(Nulls.SKIP, Nulls.FAIL));
    // Jackson applies the null setting only to values it does not merge, and it would "merge"
    // every scalar under setDefaultMergeable (keeping null): scalars are replaced, never merged.
    for (Class<?> scalar : List.of(String.class, Duration.class, Boolean.class, Integer.class,
        Long.class, Double.class, Float.class, Short.class, Byte.class, Character.class)) {
      m.configOverride(scalar).setMergeable(false);
    }
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

  /**
   * Parses and validates the whole config. Text that is not a YAML mapping fails at once;
   * otherwise checking goes on past each problem, and every problem found (each component,
   * pipeline and reference on its own) is thrown together in one {@link ConfigException}.
   */
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
    ConfigProblems problems = new ConfigProblems();
    root = expandEnv(root, "", problems);
    for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!TOP_LEVEL.contains(k)) {
        problems.add(new ConfigException(
            k, "unknown top-level key; valid keys are " + sorted(TOP_LEVEL)));
      }
    }

    Map<ComponentKind, Map<ComponentId, ComponentConfig>> components =
        new EnumMap<>(ComponentKind.class);
    // Components that are configured but wrong: pipelines may name them without a second error.
    Map<ComponentKind, Set<ComponentId>> invalid = new EnumMap<>(ComponentKind.class);
    for (ComponentKind kind : ComponentKind.values()) {
      invalid.put(kind, new HashSet<>());
      components.put(kind,
          loadSection(kind, root.get(kind.section()), invalid.get(kind), problems));
    }

    JsonNode service = root.get("service");
    if (service == null || service.isNull()) {
      problems.add(new ConfigException("service", "missing: a config needs service::pipelines"));
      problems.throwIfAny();
    }
    if (!requireObject(service, "service", problems)) {
      problems.throwIfAny();
    }
    problems.check(() -> checkKeys(service, "service", SERVICE_KEYS));
    Map<PipelineId, PipelineConfig> pipelines = loadPipelines(service.get("pipelines"), problems);
    List<ComponentId> extensions = problems.attempt(
        () -> loadIdList(service.get("extensions"), "service::extensions"));
    for (ComponentId ext : extensions == null ? List.<ComponentId>of() : extensions) {
      if (!components.get(ComponentKind.EXTENSION).containsKey(ext)
          && !invalid.get(ComponentKind.EXTENSION).contains(ext)) {
        problems.add(new ConfigException(
            "service::extensions",
            "references extension \"" + ext + "\" which is not configured under extensions"));
      }
    }
    TelemetryConfig telemetry = problems.attempt(
        () -> bind(service.get("telemetry"), new TelemetryConfig(), "service::telemetry"));
    validateGraph(components, pipelines, invalid, problems);
    problems.throwIfAny();
    return new GatewayConfig(components, pipelines, extensions, telemetry);
  }

  private JsonNode expandEnv(JsonNode node, String path, ConfigProblems problems) {
    if (node.isTextual()) {
      try {
        return TextNode.valueOf(env.expand(node.textValue(), path));
      } catch (ConfigException e) {
        problems.addUnexpanded(e);
        return node;
      }
    }
    if (node.isObject()) {
      ObjectNode out = JsonNodeFactory.instance.objectNode();
      node.fields()
          .forEachRemaining(
              e -> out.set(e.getKey(),
                  expandEnv(e.getValue(), join(path, e.getKey()), problems)));
      return out;
    }
    if (node.isArray()) {
      var out = JsonNodeFactory.instance.arrayNode();
      for (int i = 0; i < node.size(); i++) {
        out.add(expandEnv(node.get(i), join(path, String.valueOf(i)), problems));
      }
      return out;
    }
    return node;
  }

  private Map<ComponentId, ComponentConfig> loadSection(ComponentKind kind, JsonNode section,
      Set<ComponentId> invalid, ConfigProblems problems) {
    Map<ComponentId, ComponentConfig> out = new LinkedHashMap<>();
    if (section == null || section.isNull() || !requireObject(section, kind.section(), problems)) {
      return out;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = section.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String path = kind.section() + "::" + e.getKey();
      ComponentId id;
      try {
        id = ComponentId.parse(e.getKey());
      } catch (IllegalArgumentException ex) {
        problems.add(new ConfigException(path, ex.getMessage()));
        continue;
      }
      invalid.add(id);
      ComponentFactory<?> factory = registry.factory(kind, id.type());
      if (factory == null) {
        problems.add(new ConfigException(
            path,
            "unknown " + singular(kind) + " type \"" + id.type() + "\"; known types: "
                + String.join(", ", registry.types(kind))));
        continue;
      }
      if (out.containsKey(id)) {
        problems.add(new ConfigException(path, "duplicate ID (after normalising) " + id));
        continue;
      }
      Object config = problems.attempt(() -> bindComponent(factory, e.getValue(), path));
      if (config != null) {
        out.put(id, new ComponentConfig(kind, id, factory, config));
        invalid.remove(id);
      }
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
    } catch (RuntimeException e) {
      // A validator that trips over a value it did not expect (a key without a value binds
      // null where the default was null) must not stop the report of every other problem.
      throw new ConfigException(path, UNEXPECTED_VALIDATION_FAILURE + e, e);
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
    } catch (InvalidNullException e) {
      throw new ConfigException(join(path, jsonPath(e)), "has no value: give one or remove it");
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

  private Map<PipelineId, PipelineConfig> loadPipelines(JsonNode node, ConfigProblems problems) {
    String path = "service::pipelines";
    Map<PipelineId, PipelineConfig> out = new LinkedHashMap<>();
    if (node == null || node.isNull() || node.size() == 0) {
      problems.add(new ConfigException(path, "no pipelines configured; add e.g. traces:"
          + " {receivers: [otlp], exporters: [debug]}"));
      return out;
    }
    if (!requireObject(node, path, problems)) {
      return out;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      PipelineConfig pipeline = problems.attempt(() -> loadPipeline(e.getKey(), e.getValue()));
      if (pipeline != null) {
        out.put(pipeline.id(), pipeline);
      }
    }
    return out;
  }

  private PipelineConfig loadPipeline(String name, JsonNode body) {
    String p = "service::pipelines::" + name;
    PipelineId id;
    try {
      id = PipelineId.parse(name);
    } catch (IllegalArgumentException ex) {
      throw new ConfigException(p, ex.getMessage());
    }
    if (body == null || body.isNull()) {
      throw new ConfigException(p, "pipeline is empty; it needs receivers and exporters");
    }
    if (!body.isObject()) {
      throw new ConfigException(p, "expected a mapping, found " + describe(body));
    }
    ConfigProblems problems = new ConfigProblems();
    problems.check(() -> checkKeys(body, p, PIPELINE_KEYS));
    List<ComponentId> receivers =
        problems.attempt(() -> loadIdList(body.get("receivers"), p + "::receivers"));
    List<ComponentId> processors =
        problems.attempt(() -> loadIdList(body.get("processors"), p + "::processors"));
    List<ComponentId> exporters =
        problems.attempt(() -> loadIdList(body.get("exporters"), p + "::exporters"));
    if (receivers != null && receivers.isEmpty()) {
      problems.add(new ConfigException(p + "::receivers", "a pipeline needs at least one receiver"));
    }
    if (exporters != null && exporters.isEmpty()) {
      problems.add(new ConfigException(p + "::exporters", "a pipeline needs at least one exporter"));
    }
    problems.throwIfAny();
    return new PipelineConfig(id, receivers, processors, exporters);
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
      Map<PipelineId, PipelineConfig> pipelines, Map<ComponentKind, Set<ComponentId>> invalid,
      ConfigProblems problems) {
    Set<ComponentId> invalidConnectors = invalid.get(ComponentKind.CONNECTOR);
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
        } else if (c == null) {
          reportUndefined(p + "::receivers", "receiver", r, "receivers",
              invalid.get(ComponentKind.RECEIVER).contains(r) || invalidConnectors.contains(r),
              problems);
        } else if (!((ReceiverFactory<?>) c.factory()).signals().contains(signal)) {
          problems.add(unsupported(p + "::receivers", "receiver", r, signal));
        }
      }
      for (ComponentId id : pipeline.processors()) {
        ComponentConfig c = components.get(ComponentKind.PROCESSOR).get(id);
        if (c == null) {
          reportUndefined(p + "::processors", "processor", id, "processors",
              invalid.get(ComponentKind.PROCESSOR).contains(id), problems);
        } else if (!((ProcessorFactory<?>) c.factory()).signals().contains(signal)) {
          problems.add(unsupported(p + "::processors", "processor", id, signal));
        }
      }
      for (ComponentId e : pipeline.exporters()) {
        ComponentConfig c = components.get(ComponentKind.EXPORTER).get(e);
        if (c == null && connectors.containsKey(e)) {
          connectorFrom.computeIfAbsent(e, k -> new HashSet<>()).add(signal);
        } else if (c == null) {
          reportUndefined(p + "::exporters", "exporter", e, "exporters",
              invalid.get(ComponentKind.EXPORTER).contains(e) || invalidConnectors.contains(e),
              problems);
        } else if (!((ExporterFactory<?>) c.factory()).signals().contains(signal)) {
          problems.add(unsupported(p + "::exporters", "exporter", e, signal));
        }
      }
    }
    problems.check(() -> checkNoCycles(pipelines, connectors.keySet()));
    for (ComponentConfig c : connectors.values()) {
      Set<Signal<?>> from = connectorFrom.getOrDefault(c.id(), Set.of());
      Set<Signal<?>> to = connectorTo.getOrDefault(c.id(), Set.of());
      if (from.isEmpty() && to.isEmpty()) {
        continue;
      }
      if (from.isEmpty() || to.isEmpty()) {
        problems.add(new ConfigException(
            c.keyPath(),
            "connector is used as " + (from.isEmpty() ? "a receiver" : "an exporter")
                + " but no pipeline uses it as " + (from.isEmpty() ? "an exporter" : "a receiver")));
        continue;
      }
      ConnectorFactory<?> f = (ConnectorFactory<?>) c.factory();
      boolean any = false;
      for (Signal<?> a : from) {
        for (Signal<?> b : to) {
          any |= f.supports(a, b);
        }
      }
      if (!any) {
        problems.add(new ConfigException(
            c.keyPath(), "connector cannot turn " + from + " into " + to));
      }
    }
  }

  /** A reference to a component that is not configured; one configured wrongly is reported already. */
  private static void reportUndefined(String path, String what, ComponentId id, String section,
      boolean configuredWrongly, ConfigProblems problems) {
    if (!configuredWrongly) {
      problems.add(undefined(path, what, id, section));
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

  private static boolean requireObject(JsonNode node, String path, ConfigProblems problems) {
    if (!node.isObject()) {
      problems.add(new ConfigException(path, "expected a mapping, found " + describe(node)));
      return false;
    }
    return true;
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
