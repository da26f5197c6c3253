package io.vigil.config.tls;

import io.vigil.core.config.ConfigException;
import java.util.ArrayList;
import java.util.List;

/** A TLS protocol version written the Collector's way ({@code "1.2"}), and its JSSE name. */
public enum TlsVersion {
  TLS_1_0("1.0", "TLSv1"),
  TLS_1_1("1.1", "TLSv1.1"),
  TLS_1_2("1.2", "TLSv1.2"),
  TLS_1_3("1.3", "TLSv1.3");

  private final String configName;
  private final String jsseName;

  TlsVersion(String configName, String jsseName) {
    this.configName = configName;
    this.jsseName = jsseName;
  }

  public String jsseName() {
    return jsseName;
  }

  /**
   * The version at {@code keyPath}; an empty value means {@code fallback}.
   *
   * @throws ConfigException naming the accepted values
   */
  public static TlsVersion parse(String value, TlsVersion fallback, String keyPath) {
    if (value == null || value.isEmpty()) {
      return fallback;
    }
    for (TlsVersion v : values()) {
      if (v.configName.equals(value)) {
        return v;
      }
    }
    throw new ConfigException(
        keyPath, "unsupported TLS version \"" + value + "\"; use 1.0, 1.1, 1.2 or 1.3");
  }

  /** The JSSE protocol names from {@code min} to {@code max}, both included. */
  static String[] range(TlsVersion min, TlsVersion max, String keyPath) {
    if (max.ordinal() < min.ordinal()) {
      throw new ConfigException(keyPath + "::max_version",
          "is below min_version (" + min.configName + ")");
    }
    List<String> out = new ArrayList<>();
    for (TlsVersion v : values()) {
      if (v.ordinal() >= min.ordinal() && v.ordinal() <= max.ordinal()) {
        out.add(v.jsseName);
      }
    }
    return out.toArray(new String[0]);
  }
}
