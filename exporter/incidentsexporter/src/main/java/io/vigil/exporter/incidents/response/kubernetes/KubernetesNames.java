package io.vigil.exporter.incidents.response.kubernetes;

import io.vigil.exporter.incidents.response.action.ActionRefusedException;
import java.util.regex.Pattern;

/**
 * Kubernetes' own name rules, checked on a rendered name before it goes into a request path:
 * a templated value that is not a valid name (a title with spaces, a slash) is refused, not
 * sent for the API server to make sense of.
 */
final class KubernetesNames {

  // RFC 1123 label and subdomain, as the API server's validation has them.
  private static final Pattern LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  private static final Pattern SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

  private KubernetesNames() {}

  /** A namespace: an RFC 1123 label of at most 63 characters. */
  static String namespace(String s, String what) {
    if (s.length() > 63 || !LABEL.matcher(s).matches()) {
      throw refused(what, s, "lower-case letters, digits and '-', at most 63");
    }
    return s;
  }

  /** A deployment, stateful set or node name: an RFC 1123 subdomain, at most 253. */
  static String object(String s, String what) {
    if (s.length() > 253 || !SUBDOMAIN.matcher(s).matches()) {
      throw refused(what, s, "lower-case letters, digits, '-' and '.', at most 253");
    }
    return s;
  }

  private static ActionRefusedException refused(String what, String s, String rule) {
    String shown = s.length() <= 80 ? s : s.substring(0, 80) + "…";
    return new ActionRefusedException(what + " \"" + shown + "\" is not a valid Kubernetes"
        + " name (" + rule + ")");
  }
}
