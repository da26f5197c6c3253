package io.vigil.processor.k8sattributes.internal;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.vigil.processor.k8sattributes.K8sAttributesConfig.FieldExtract;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One {@code extract::labels} or {@code extract::annotations} entry: a label or annotation of a
 * pod, namespace, node, Deployment, StatefulSet, DaemonSet or Job copied to an attribute.
 * Without {@code tag_name} the attribute is the Collector's {@code k8s.<from>.labels.<key>}
 * (pod, namespace, node) or {@code k8s.<from>.label.<key>} (the workloads), or annotations.
 */
final class FieldRule {
  final String from;
  private final boolean annotation;
  private final String defaultPrefix;
  private final String key;
  private final Pattern regex;
  private final String tagName;

  private FieldRule(String from, String kind, String key, Pattern regex, String tagName) {
    this.from = from;
    this.annotation = kind.equals("annotations");
    // The Collector's default names: the older plural form for pods, namespaces and nodes
    // (k8s.pod.labels.<key>), the semantic conventions' singular one for the workloads, which
    // it added later (k8s.deployment.label.<key>).
    boolean legacy = from.equals("pod") || from.equals("namespace") || from.equals("node");
    this.defaultPrefix = "k8s." + from + "."
        + (legacy ? kind : kind.substring(0, kind.length() - 1)) + ".";
    this.key = key;
    this.regex = regex;
    this.tagName = tagName;
  }

  static FieldRule label(FieldExtract c) {
    return of(c, "labels");
  }

  static FieldRule annotation(FieldExtract c) {
    return of(c, "annotations");
  }

  /** The Collector's otel_annotations: {@code resource.opentelemetry.io/NAME} becomes NAME. */
  static FieldRule otelAnnotations() {
    return new FieldRule("pod", "annotations", null,
        Pattern.compile("resource\\.opentelemetry\\.io/(.+)"), "$1");
  }

  private static FieldRule of(FieldExtract c, String kind) {
    boolean byKey = c.key != null && !c.key.isEmpty();
    // The Collector anchors key_regex: it must match the whole key.
    return new FieldRule(c.from, kind, byKey ? c.key : null,
        byKey ? null : Pattern.compile(c.keyRegex), c.tagName == null ? "" : c.tagName);
  }

  boolean isAnnotation() {
    return annotation;
  }

  /** Appends the attributes this rule takes from {@code fields} (labels or annotations). */
  void extract(Map<String, String> fields, List<KeyValue> out) {
    if (fields == null || fields.isEmpty()) {
      return;
    }
    if (key != null) {
      String v = fields.get(key);
      if (v != null) {
        out.add(Attrs.kv(tagName.isEmpty() ? defaultPrefix + key : tagName, v));
      }
      return;
    }
    // Sorted, so a regex matching several keys adds them in a stable order.
    for (Map.Entry<String, String> e : new TreeMap<>(fields).entrySet()) {
      Matcher m = regex.matcher(e.getKey());
      if (m.matches()) {
        String name = tagName.isEmpty() ? defaultPrefix + e.getKey() : expand(m);
        if (!name.isEmpty()) {
          out.add(Attrs.kv(name, e.getValue()));
        }
      }
    }
  }

  private String expand(Matcher m) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < tagName.length(); i++) {
      char c = tagName.charAt(i);
      if (c == '$' && i + 1 < tagName.length() && Character.isDigit(tagName.charAt(i + 1))) {
        int j = i + 1;
        while (j < tagName.length() && Character.isDigit(tagName.charAt(j))) {
          j++;
        }
        String digits = tagName.substring(i + 1, j);
        int group = digits.length() > 3 ? Integer.MAX_VALUE : Integer.parseInt(digits);
        String g = group <= m.groupCount() ? m.group(group) : null;
        b.append(g == null ? "" : g);
        i = j - 1;
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }
}
