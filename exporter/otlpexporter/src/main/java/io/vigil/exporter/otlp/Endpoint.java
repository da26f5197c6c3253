package io.vigil.exporter.otlp;

import io.vigil.core.config.ConfigException;
import java.net.URI;

/** The otlp exporter's endpoint: host:port, optionally with an http:// or https:// scheme. */
final class Endpoint {

  private Endpoint() {}

  static String target(String endpoint) {
    String e = endpoint.trim();
    if (e.startsWith("http://") || e.startsWith("https://")) {
      URI u = URI.create(e);
      return u.getHost() + ":" + (u.getPort() < 0 ? (e.startsWith("https") ? 443 : 80) : u.getPort());
    }
    return e;
  }

  static boolean usesTls(String endpoint, boolean insecure) {
    if (endpoint.startsWith("http://")) {
      return false;
    }
    if (endpoint.startsWith("https://")) {
      return true;
    }
    return !insecure;
  }

  static void validate(String endpoint) {
    if (endpoint == null || endpoint.isBlank()) {
      throw new ConfigException("endpoint", "required: host:port of the OTLP gRPC server");
    }
    String t;
    try {
      t = target(endpoint);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("endpoint", "not a valid URL: \"" + endpoint + "\"");
    }
    int colon = t.lastIndexOf(':');
    if (colon <= 0 || colon == t.length() - 1) {
      throw new ConfigException("endpoint", "expected host:port, got \"" + endpoint + "\"");
    }
    try {
      int port = Integer.parseInt(t.substring(colon + 1));
      if (port < 1 || port > 65535) {
        throw new ConfigException("endpoint", "port out of range in \"" + endpoint + "\"");
      }
    } catch (NumberFormatException e) {
      throw new ConfigException("endpoint", "port is not a number in \"" + endpoint + "\"");
    }
  }
}
