package io.vigil.exporter.prometheustranslator;

import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The labels of a series: the data point's attributes (sanitised; attributes that sanitise to
 * the same name have their values joined with {@code ;}, as the collector does), {@code job}
 * and {@code instance} from the resource, the instrumentation scope, promoted resource
 * attributes, and constant labels.
 */
public final class SeriesLabels {

  static final String SERVICE_NAME = "service.name";
  static final String SERVICE_NAMESPACE = "service.namespace";
  static final String SERVICE_INSTANCE_ID = "service.instance.id";
  /** Resource attributes that become job and instance rather than target_info labels. */
  static final Set<String> IDENTIFYING = Set.of(SERVICE_NAME, SERVICE_NAMESPACE, SERVICE_INSTANCE_ID);

  private final Map<String, String> constLabels;
  private final boolean allResourceAttributes;
  private final Set<String> promoted;

  /**
   * @param constLabels added to every series
   * @param allResourceAttributes every resource attribute becomes a label
   * @param promoted these resource attributes become labels
   */
  public SeriesLabels(Map<String, String> constLabels, boolean allResourceAttributes,
      java.util.Collection<String> promoted) {
    this.constLabels = Map.copyOf(constLabels);
    this.allResourceAttributes = allResourceAttributes;
    this.promoted = Set.copyOf(promoted);
  }

  /** job and instance of a resource: the series' link to its target_info. */
  public static Map<String, String> target(Resource resource) {
    Map<String, String> out = new TreeMap<>();
    List<KeyValue> attrs = resource.getAttributesList();
    String name = AttributeText.find(attrs, SERVICE_NAME);
    String namespace = AttributeText.find(attrs, SERVICE_NAMESPACE);
    String instance = AttributeText.find(attrs, SERVICE_INSTANCE_ID);
    if (name != null && !name.isEmpty()) {
      out.put("job", namespace == null || namespace.isEmpty() ? name : namespace + "/" + name);
    }
    if (instance != null && !instance.isEmpty()) {
      out.put("instance", instance);
    }
    return out;
  }

  /** The labels of target_info for a resource: job, instance and the other attributes. */
  public static Map<String, String> targetInfo(Resource resource) {
    Map<String, String> out = sanitised(resource.getAttributesList().stream()
        .filter(kv -> !IDENTIFYING.contains(kv.getKey())).toList());
    if (out.isEmpty()) {
      return out;
    }
    out.putAll(target(resource));
    return out;
  }

  /** Labels of a data point's series, sorted by name. */
  public Map<String, String> of(Resource resource, InstrumentationScope scope, List<KeyValue> attributes) {
    Map<String, String> out = new TreeMap<>(constLabels);
    if (allResourceAttributes || !promoted.isEmpty()) {
      out.putAll(sanitised(resource.getAttributesList().stream()
          .filter(kv -> allResourceAttributes || promoted.contains(kv.getKey())).toList()));
    }
    if (!scope.getName().isEmpty()) {
      out.put("otel_scope_name", scope.getName());
      if (!scope.getVersion().isEmpty()) {
        out.put("otel_scope_version", scope.getVersion());
      }
    }
    out.putAll(sanitised(attributes));
    out.putAll(target(resource));
    return out;
  }

  private static Map<String, String> sanitised(List<KeyValue> attributes) {
    Map<String, String> out = new TreeMap<>();
    attributes.stream().sorted(Comparator.comparing(KeyValue::getKey)).forEach(kv ->
        out.merge(PrometheusNames.label(kv.getKey()), AttributeText.of(kv.getValue()),
            (a, b) -> a + ";" + b));
    return out;
  }
}
