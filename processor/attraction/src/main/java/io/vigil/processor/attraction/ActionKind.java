package io.vigil.processor.attraction;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** What an action does; spelled as in config, case-insensitively as the Collector reads it. */
enum ActionKind {
  INSERT, UPDATE, UPSERT, DELETE, HASH, EXTRACT, CONVERT;

  static Optional<ActionKind> parse(String s) {
    try {
      return Optional.of(valueOf(s.trim().toUpperCase(Locale.ROOT)));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  boolean setsValue() {
    return this == INSERT || this == UPDATE || this == UPSERT;
  }

  static String names() {
    return Arrays.stream(values()).map(k -> k.name().toLowerCase(Locale.ROOT))
        .collect(Collectors.joining(", "));
  }
}
