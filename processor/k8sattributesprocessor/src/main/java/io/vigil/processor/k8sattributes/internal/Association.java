package io.vigil.processor.k8sattributes.internal;

import io.opentelemetry.proto.common.v1.KeyValue;
import io.vigil.core.ClientInfo;
import io.vigil.processor.k8sattributes.K8sAttributesConfig.AssociationSource;
import io.vigil.processor.k8sattributes.K8sAttributesConfig.PodAssociation;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code pod_association}, compiled: turns a resource (and the connection it came on) into the
 * key of the pod it came from, and a pod into every key it can be found by. The first rule whose
 * sources all have a value decides, as in the Collector: if that key finds no pod, later rules
 * are not tried.
 *
 * <p>With no rules the Collector's default applies: the IP from {@code k8s.pod.ip}, then
 * {@code ip}, then the connection, then {@code host.name} when it is an IP address.
 */
public final class Association {
  private static final char SEP = '\u0000';

  private final List<List<AssociationSource>> rules;

  public Association(List<PodAssociation> config) {
    List<List<AssociationSource>> r = new ArrayList<>();
    for (PodAssociation a : config) {
      r.add(List.copyOf(a.sources));
    }
    this.rules = List.copyOf(r);
  }

  /** A resource's pod key, and the IP that came from a connection-type source (or null). */
  public record Identity(String key, String connectionIp) {}

  /** The identity of a resource, or null when no rule has all its values. */
  public Identity identify(List<KeyValue> attrs, ClientInfo client) {
    if (rules.isEmpty()) {
      String ip = nonEmpty(Attrs.get(attrs, "k8s.pod.ip"));
      if (ip == null) {
        ip = nonEmpty(Attrs.get(attrs, "ip"));
      }
      if (ip == null && client != null) {
        ip = client.address().getHostAddress();
      }
      if (ip == null) {
        String host = nonEmpty(Attrs.get(attrs, "host.name"));
        ip = host != null && isIpLiteral(host) ? host : null;
      }
      return ip == null ? null : new Identity(connectionKey(ip), ip);
    }
    for (List<AssociationSource> rule : rules) {
      StringBuilder key = new StringBuilder();
      String connectionIp = null;
      boolean complete = true;
      for (AssociationSource s : rule) {
        String v;
        if ("connection".equals(s.from)) {
          v = client == null ? null : client.address().getHostAddress();
          connectionIp = v;
        } else {
          v = nonEmpty(Attrs.get(attrs, s.name));
        }
        if (v == null) {
          complete = false;
          break;
        }
        append(key, s, v);
      }
      if (complete) {
        return new Identity(key.toString(), connectionIp);
      }
    }
    return null;
  }

  /** Every key {@code pod} is found by: each rule's, and the default connection key. */
  public List<String> keysOf(PodRecord pod) {
    List<String> keys = new ArrayList<>(rules.size() + 1);
    if (pod.ip() != null) {
      keys.add(connectionKey(pod.ip()));
    }
    for (List<AssociationSource> rule : rules) {
      List<StringBuilder> partial = new ArrayList<>(List.of(new StringBuilder()));
      for (AssociationSource s : rule) {
        List<String> values = podValues(pod, s);
        List<StringBuilder> next = new ArrayList<>();
        for (StringBuilder p : partial) {
          for (String v : values) {
            StringBuilder b = new StringBuilder(p);
            append(b, s, v);
            next.add(b);
          }
        }
        partial = next;
      }
      for (StringBuilder b : partial) {
        String k = b.toString();
        if (!k.isEmpty() && !keys.contains(k)) {
          keys.add(k);
        }
      }
    }
    return keys;
  }

  private static List<String> podValues(PodRecord pod, AssociationSource s) {
    String v;
    if ("connection".equals(s.from)) {
      v = pod.ip();
    } else {
      switch (s.name) {
        case "k8s.namespace.name" -> v = pod.namespace();
        case "k8s.pod.name" -> v = pod.name();
        case "k8s.pod.uid" -> v = pod.uid();
        case "k8s.pod.ip" -> v = pod.ip();
        case "container.id" -> {
          return List.copyOf(pod.containersById().keySet());
        }
        default -> v = pod.attribute(s.name);
      }
    }
    return v == null || v.isEmpty() ? List.of() : List.of(v);
  }

  private static void append(StringBuilder key, AssociationSource s, String value) {
    if (key.length() > 0) {
      key.append(SEP);
    }
    if ("connection".equals(s.from)) {
      key.append("c").append(SEP).append(value);
    } else {
      key.append("r").append(SEP).append(s.name).append(SEP).append(value);
    }
  }

  private static String connectionKey(String ip) {
    return "c" + SEP + ip;
  }

  private static String nonEmpty(String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  private static final java.util.regex.Pattern IPV4 = java.util.regex.Pattern.compile(
      "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");

  /** True for an IPv4 or IPv6 literal; never resolves a name. */
  static boolean isIpLiteral(String s) {
    if (s.isEmpty() || s.length() > 45) {
      return false;
    }
    if (s.indexOf(':') < 0) {
      return IPV4.matcher(s).matches();
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!(Character.digit(c, 16) >= 0 || c == '.' || c == ':')) {
        return false;
      }
    }
    try {
      // With a colon the JDK parses an IPv6 literal or refuses it; it never asks DNS.
      InetAddress.getByName(s);
      return true;
    } catch (java.net.UnknownHostException e) {
      return false;
    }
  }
}
