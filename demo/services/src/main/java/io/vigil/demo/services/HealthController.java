package io.vigil.demo.services;

import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** Readiness for the launcher: answers once the web server and database are up. */
@RestController
public class HealthController {

  private final DemoProperties props;

  public HealthController(DemoProperties props) {
    this.props = props;
  }

  @GetMapping("/admin/health")
  public Map<String, String> health() {
    return Map.of("status", "UP", "role", props.role());
  }
}
