package io.vigil.extension.basicauth;

import io.vigil.core.auth.AuthenticationException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
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
import org.springframework.security.crypto.bcrypt.BCrypt;

/**
 * The cost of a Basic check per request: a client repeating a verified bcrypt credential (the
 * remembered path, every request after the first) and a wrong password (a full bcrypt, cost 10).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class BasicAuthBenchmark {

  private BasicAuthExtension extension;
  private Map<String, List<String>> good;
  private Map<String, List<String>> wrong;

  private static Map<String, List<String>> basic(String pair) {
    return Map.of("authorization", List.of("Basic "
        + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8))));
  }

  @Setup
  public void setUp() throws AuthenticationException {
    BasicAuthConfig c = new BasicAuthConfig();
    c.htpasswd = new BasicAuthConfig.Htpasswd();
    c.htpasswd.inline = "agent:" + BCrypt.hashpw("s3cret", BCrypt.gensalt(10));
    extension = new BasicAuthExtension(c);
    extension.start();
    good = basic("agent:s3cret");
    wrong = basic("agent:guess");
    extension.authenticate(good);
  }

  @Benchmark
  public boolean rememberedCredential() throws AuthenticationException {
    extension.authenticate(good);
    return true;
  }

  @Benchmark
  public boolean wrongPassword() {
    try {
      extension.authenticate(wrong);
      return true;
    } catch (AuthenticationException e) {
      return false;
    }
  }
}
