package io.vigil.exporter.jaeger;

import io.vigil.core.config.ConfigException;
import java.net.URI;
import java.util.Locale;
import java.util.regex.Pattern;

/** Links into the Jaeger UI: {@code <ui>/trace/<32 hex trace ID>}. */
public final class JaegerLinks {

  private static final Pattern TRACE_ID = Pattern.compile("[0-9a-fA-F]{32}");

  private JaegerLinks() {}

  /**
   * The Jaeger UI page of a trace.
   *
   * @throws IllegalArgumentException when the trace ID is not 32 hex digits or all zero
   */
  public static String traceUrl(String uiBase, String traceIdHex) {
    if (traceIdHex == null || !TRACE_ID.matcher(traceIdHex).matches()
        || traceIdHex.chars().allMatch(c -> c == '0')) {
      throw new IllegalArgumentException("not a trace ID: \"" + traceIdHex
          + "\" (expected 32 hex digits, not all zero)");
    }
    String base = uiBase.endsWith("/") ? uiBase.substring(0, uiBase.length() - 1) : uiBase;
    return base + "/trace/" + traceIdHex.toLowerCase(Locale.ROOT);
  }

  static void validateBase(String uiBase) {
    try {
      URI u = URI.create(uiBase);
      if (u.getHost() == null || !(u.getScheme().equals("http") || u.getScheme().equals("https"))) {
        throw new ConfigException("ui_url", "expected an http(s) URL, got \"" + uiBase + "\"");
      }
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new ConfigException("ui_url", "not a URL: \"" + uiBase + "\"");
    }
  }
}
