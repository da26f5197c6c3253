package io.vigil.demo.services.fallback;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /admin/fallback} (optional body {@code {"by": "..."}}, e.g. the response rule's
 * name) switches the degraded mode on, {@code DELETE /admin/fallback} off, {@code GET} tells.
 * Under {@code /admin/} like the fault switches, so the demo gateway keeps these calls out of
 * detection too.
 */
@RestController
public class FallbackController {

  private final Fallback fallback;

  public FallbackController(Fallback fallback) {
    this.fallback = fallback;
  }

  @GetMapping("/admin/fallback")
  public Map<String, Object> state() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("on", fallback.isOn());
    if (fallback.since() != null) {
      m.put("since", fallback.since().toString());
    }
    m.put("served", fallback.servedCount());
    return m;
  }

  @PostMapping("/admin/fallback")
  public Map<String, Object> on(@RequestBody(required = false) Map<String, Object> body) {
    Object by = body == null ? null : body.get("by");
    fallback.on(by == null ? "an operator" : String.valueOf(by));
    return state();
  }

  @DeleteMapping("/admin/fallback")
  public ResponseEntity<Void> off() {
    return fallback.off() ? ResponseEntity.noContent().build()
        : ResponseEntity.notFound().build();
  }
}
