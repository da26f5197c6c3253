package io.vigil.demo.services.fault;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The admin endpoint that switches faults at run time:
 * {@code POST /admin/faults/{kind}} with {@code {"<parameter>": value, "duration_s": n}},
 * {@code DELETE /admin/faults/{kind}}, {@code DELETE /admin/faults}, {@code GET /admin/faults}.
 */
@RestController
public class FaultController {

  private final FaultInjector faults;

  public FaultController(FaultInjector faults) {
    this.faults = faults;
  }

  @GetMapping("/admin/faults")
  public List<Map<String, Object>> list() {
    return faults.active().stream().map(FaultController::view).toList();
  }

  @PostMapping("/admin/faults/{kind}")
  public Map<String, Object> activate(@PathVariable String kind,
      @RequestBody(required = false) Map<String, Object> body) {
    FaultKind k = FaultKind.fromWire(kind);
    Map<String, Object> params = body == null ? Map.of() : body;
    for (String key : params.keySet()) {
      if (!key.equals(k.parameter()) && !key.equals("duration_s")) {
        throw new IllegalArgumentException("fault " + kind + " takes '" + k.parameter()
            + "' and 'duration_s', not '" + key + "'");
      }
    }
    Object value = params.getOrDefault(k.parameter(), k.defaultValue());
    if (value == null) {
      throw new IllegalArgumentException("fault " + kind + " needs '" + k.parameter() + "'");
    }
    if (k == FaultKind.DEPENDENCY_OUTAGE) {
      if (!List.of("orders", "inventory", "payments").contains(value)) {
        throw new IllegalArgumentException("dependency must be orders, inventory or payments,"
            + " not '" + value + "'");
      }
    } else if (!(value instanceof Number n) || n.doubleValue() < 0
        || (k == FaultKind.ERROR_RATE && n.doubleValue() > 1)) {
      throw new IllegalArgumentException("'" + k.parameter() + "' of fault " + kind
          + " must be a non-negative number" + (k == FaultKind.ERROR_RATE ? " up to 1" : "")
          + ", not '" + value + "'");
    }
    Duration duration = null;
    if (params.get("duration_s") instanceof Number d) {
      duration = Duration.ofMillis((long) (d.doubleValue() * 1000));
    } else if (params.containsKey("duration_s")) {
      throw new IllegalArgumentException("'duration_s' must be a number of seconds");
    }
    return view(faults.activate(k, value, duration));
  }

  @DeleteMapping("/admin/faults/{kind}")
  public ResponseEntity<Void> clear(@PathVariable String kind) {
    return faults.clear(FaultKind.fromWire(kind))
        ? ResponseEntity.noContent().build()
        : ResponseEntity.notFound().build();
  }

  @DeleteMapping("/admin/faults")
  public ResponseEntity<Void> clearAll() {
    faults.clearAll();
    return ResponseEntity.noContent().build();
  }

  @ExceptionHandler(IllegalArgumentException.class)
  public ResponseEntity<Map<String, String>> badRequest(IllegalArgumentException e) {
    return ResponseEntity.badRequest().body(Map.of("error", e.getMessage()));
  }

  private static Map<String, Object> view(ActiveFault f) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("kind", f.kind().wireName());
    m.put(f.kind().parameter(), f.value());
    m.put("since", f.since().toString());
    if (f.until() != null) {
      m.put("until", f.until().toString());
    }
    return m;
  }
}
