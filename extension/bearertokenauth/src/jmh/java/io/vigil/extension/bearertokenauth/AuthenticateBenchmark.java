package io.vigil.extension.bearertokenauth;

import io.vigil.core.auth.AuthenticationException;
import io.vigil.core.component.ComponentId;
import io.vigil.core.component.ComponentKind;
import io.vigil.core.component.ComponentSettings;
import io.vigil.core.telemetry.GatewayTelemetry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** What the token check adds to every request a receiver takes: accepted and refused. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class AuthenticateBenchmark {

  private BearerTokenAuthExtension extension;
  private final Map<String, List<String>> good =
      Map.of("authorization", List.of("Bearer token-number-three-of-four"));
  private final Map<String, List<String>> bad =
      Map.of("authorization", List.of("Bearer token-number-three-of-fivE"));

  @Setup
  public void setUp() {
    BearerTokenAuthConfig c = new BearerTokenAuthConfig();
    c.tokens = List.of("token-number-one-of-four", "token-number-two-of-four",
        "token-number-three-of-four", "token-number-four-of-four");
    extension = new BearerTokenAuthExtension(new ComponentSettings(ComponentKind.EXTENSION,
        ComponentId.of("bearertokenauth"), new GatewayTelemetry()), c);
    extension.start();
  }

  @Benchmark
  public boolean accepted() throws AuthenticationException {
    extension.authenticate(good);
    return true;
  }

  @Benchmark
  public boolean refused() {
    try {
      extension.authenticate(bad);
      return true;
    } catch (AuthenticationException e) {
      return false;
    }
  }
}
