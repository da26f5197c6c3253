package io.vigil.processor.redaction;

import io.vigil.core.config.ConfigException;
import io.vigil.processor.redaction.internal.ValuePreset;
import java.util.ArrayList;
import java.util.List;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;

/** Config of the {@code redaction} processor; keys as the Collector's redactionprocessor. */
public class RedactionConfig {
  /** Keep every key (only values are masked); false = only {@code allowed_keys} are kept. */
  public boolean allowAllKeys = false;
  /** Keys kept when {@code allow_all_keys} is false; empty = every attribute is removed. */
  public List<String> allowedKeys = new ArrayList<>();
  /** Keys passed through untouched: neither removed nor masked. */
  public List<String> ignoredKeys = new ArrayList<>();
  /** Regexes of keys whose whole value is masked. */
  public List<String> blockedKeyPatterns = new ArrayList<>();
  /** Regexes of value parts to mask. */
  public List<String> blockedValues = new ArrayList<>();
  /** Regexes of values never masked (they win over blocked_values). */
  public List<String> allowedValues = new ArrayList<>();
  /** Vigil's own: named value patterns, {@code credit_card}, {@code email}, ... */
  public List<String> blockedValuePresets = new ArrayList<>();
  /** Check non-string values too, by their text form. */
  public boolean redactAllTypes = false;
  /** {@code md5}, {@code sha1} or {@code sha3}: replace matches by their hash, not asterisks. */
  public String hashFunction = "";
  /** {@code debug} (counts and keys), {@code info} (counts) or {@code silent}. */
  public String summary = "silent";

  void validate() {
    compile(blockedKeyPatterns, "blocked_key_patterns");
    compile(blockedValues, "blocked_values");
    compile(allowedValues, "allowed_values");
    for (int i = 0; i < blockedValuePresets.size(); i++) {
      ValuePreset.parse(blockedValuePresets.get(i), "blocked_value_presets::" + i);
    }
    Summary.parse(summary);
    HashFunction.parse(hashFunction);
  }

  /**
   * The user's regexes, compiled by RE2/J: matching takes time linear in the text whatever the
   * pattern (no backtracking), so a pattern from the config cannot cost a record more than a
   * scan of it; the syntax is Go's regexp, as in the Collector (no look-around, no
   * back-references).
   */
  static List<Pattern> compile(List<String> regexes, String key) {
    List<Pattern> out = new ArrayList<>();
    for (int i = 0; i < regexes.size(); i++) {
      try {
        out.add(Pattern.compile(regexes.get(i)));
      } catch (PatternSyntaxException e) {
        throw new ConfigException(key + "::" + i, "not a regular expression (Go/RE2 syntax): "
            + e.getDescription());
      }
    }
    return out;
  }

  /** {@code summary}. */
  enum Summary {
    DEBUG, INFO, SILENT;

    static Summary parse(String s) {
      switch (s == null ? "" : s) {
        case "debug":
          return DEBUG;
        case "info":
          return INFO;
        case "silent":
        case "":
          return SILENT;
        default:
          throw new ConfigException("summary",
              "unsupported value \"" + s + "\"; use debug, info or silent");
      }
    }
  }

  /** {@code hash_function}. */
  enum HashFunction {
    NONE(""), MD5("MD5"), SHA1("SHA-1"), SHA3("SHA3-256");

    final String jca;

    HashFunction(String jca) {
      this.jca = jca;
    }

    static HashFunction parse(String s) {
      switch (s == null ? "" : s) {
        case "":
          return NONE;
        case "md5":
          return MD5;
        case "sha1":
          return SHA1;
        case "sha3":
          return SHA3;
        default:
          throw new ConfigException("hash_function",
              "unsupported value \"" + s + "\"; use md5, sha1 or sha3");
      }
    }
  }
}
