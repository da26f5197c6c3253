package io.vigil.processor.attraction;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Random action lists on random attribute lists. Applying must never throw, never modify its
 * input and never leave a key twice; and an action that finds nothing to change hands back the
 * input itself (the pass-through guarantee processors rely on). A list of several actions may
 * change a value and change it back: that result is a new, equal list, which costs only the
 * pass-through.
 */
class AttributeActionsFuzzTest {
  private static final String[] KEYS = {"a", "b", "c", "http.url", "secret.x", "n"};
  private static final String[] ACTIONS = {"insert", "update", "upsert", "delete", "hash", "extract", "convert"};
  private static final String[] TYPES = {"int", "double", "string"};

  @Test
  void randomActionsOnRandomAttributes() {
    Random r = new Random(42);
    for (int c = 0; c < 2000; c++) {
      AttributeActions actions = AttributeActions.compile(randomActions(r), "actions");
      List<KeyValue> in = randomAttributes(r);
      List<KeyValue> before = List.copyOf(in);
      List<KeyValue> out = actions.apply(in);
      assertThat(in).isEqualTo(before);
      Set<String> keys = new HashSet<>();
      for (KeyValue kv : out) {
        assertThat(keys.add(kv.getKey())).as("duplicate key %s in %s", kv.getKey(), out).isTrue();
      }
      if (out.equals(in) && actions.size() == 1) {
        assertThat(out).as("unchanged attributes must be handed back as the same list").isSameAs(in);
      } else if (!out.equals(in)) {
        assertThat(out).isNotSameAs(in);
      }
    }
  }

  private static List<ActionConfig> randomActions(Random r) {
    List<ActionConfig> out = new ArrayList<>();
    int n = 1 + r.nextInt(4);
    for (int i = 0; i < n; i++) {
      ActionConfig a = new ActionConfig();
      a.action = ACTIONS[r.nextInt(ACTIONS.length)];
      a.key = KEYS[r.nextInt(KEYS.length)];
      switch (a.action) {
        case "insert", "update", "upsert" -> {
          switch (r.nextInt(3)) {
            case 0 -> a.value = randomRaw(r);
            case 1 -> a.fromAttribute = KEYS[r.nextInt(KEYS.length)];
            default -> {
              a.fromAttribute = KEYS[r.nextInt(KEYS.length)];
              a.defaultValue = randomRaw(r);
            }
          }
        }
        case "delete", "hash" -> {
          if (r.nextBoolean()) {
            a.pattern = r.nextBoolean() ? "^secret" : "[ab]";
            if (r.nextBoolean()) {
              a.key = null;
            }
          }
        }
        case "extract" -> a.pattern = r.nextBoolean() ? "(?P<scheme>\\w+)://(?P<host_name>[^/]*)"
            : "(?P<n>\\d+)";
        default -> a.convertedType = TYPES[r.nextInt(TYPES.length)];
      }
      out.add(a);
    }
    return out;
  }

  private static Object randomRaw(Random r) {
    return switch (r.nextInt(5)) {
      case 0 -> "v" + r.nextInt(3);
      case 1 -> (long) r.nextInt(3);
      case 2 -> r.nextInt(3) / 2.0;
      case 3 -> r.nextBoolean();
      default -> List.of("x", 1L);
    };
  }

  private static List<KeyValue> randomAttributes(Random r) {
    List<KeyValue> out = new ArrayList<>();
    Set<String> used = new HashSet<>();
    int n = r.nextInt(5);
    for (int i = 0; i < n; i++) {
      String k = KEYS[r.nextInt(KEYS.length)];
      if (used.add(k)) {
        AnyValue v = switch (r.nextInt(4)) {
          case 0 -> AnyValues.string(r.nextBoolean() ? "https://h.example/p" : "12");
          default -> AnyValues.fromRaw(randomRaw(r), "fuzz");
        };
        out.add(KeyValue.newBuilder().setKey(k).setValue(v).build());
      }
    }
    return out;
  }
}
