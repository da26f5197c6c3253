package io.vigil.extension.basicauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.core.auth.AuthenticationException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.security.crypto.bcrypt.BCrypt;

class BasicAuthExtensionTest {

  @TempDir Path dir;

  private static Map<String, List<String>> basic(String user, String password) {
    return Map.of("authorization", List.of("Basic " + Base64.getEncoder().encodeToString(
        (user + ":" + password).getBytes(StandardCharsets.UTF_8))));
  }

  private BasicAuthExtension server() throws Exception {
    Path file = Files.writeString(dir.resolve("htpasswd"),
        "alice:" + BCrypt.hashpw("wonderland", BCrypt.gensalt(4)) + "\n"
            + "# a comment\n"
            + "bob:{SHA}" + Base64.getEncoder().encodeToString(
                java.security.MessageDigest.getInstance("SHA-1").digest(
                    "builder".getBytes(StandardCharsets.UTF_8))) + "\n");
    BasicAuthConfig c = new BasicAuthConfig();
    c.htpasswd = new BasicAuthConfig.Htpasswd();
    c.htpasswd.file = file.toString();
    // Inline lines are added to the file's.
    c.htpasswd.inline = "carol:" + BCrypt.hashpw("c4r0l", BCrypt.gensalt(4));
    new BasicAuthFactory().validate(c);
    BasicAuthExtension e = new BasicAuthExtension(c);
    e.start();
    return e;
  }

  @Test
  void bcryptAndShaEntriesFromFileAndInline() throws Exception {
    BasicAuthExtension e = server();
    assertThatCode(() -> e.authenticate(basic("alice", "wonderland"))).doesNotThrowAnyException();
    assertThatCode(() -> e.authenticate(basic("alice", "wonderland"))).as("remembered")
        .doesNotThrowAnyException();
    assertThatCode(() -> e.authenticate(basic("bob", "builder"))).doesNotThrowAnyException();
    assertThatCode(() -> e.authenticate(basic("carol", "c4r0l"))).doesNotThrowAnyException();
    assertThatThrownBy(() -> e.authenticate(basic("alice", "wrong")))
        .isInstanceOf(AuthenticationException.class).hasMessage("invalid username or password");
    assertThatThrownBy(() -> e.authenticate(basic("mallory", "wonderland")))
        .hasMessage("invalid username or password");
    assertThatThrownBy(() -> e.authenticate(Map.of()))
        .hasMessage("missing or empty authorization header");
    assertThatThrownBy(() -> e.authenticate(Map.of("authorization", List.of("Bearer x"))))
        .hasMessage("authorization header does not use the Basic scheme");
    assertThatThrownBy(() -> e.authenticate(Map.of("authorization", List.of("Basic !!!"))))
        .hasMessage("Basic credentials are not base64");
  }

  /** Seeded mutations of a valid header: only ever accepted or refused, never a crash. */
  @Test
  void fuzzedHeadersAreOnlyEverRefused() throws Exception {
    BasicAuthExtension e = server();
    String seed = basic("bob", "builder").get("authorization").get(0);
    Random r = new Random(25);
    int refused = 0;
    for (int i = 0; i < 400; i++) {
      StringBuilder v = new StringBuilder(seed);
      for (int k = 0; k < 1 + r.nextInt(3) && v.length() > 0; k++) {
        int at = r.nextInt(v.length());
        switch (r.nextInt(3)) {
          case 0 -> v.setCharAt(at, (char) (32 + r.nextInt(95)));
          case 1 -> v.deleteCharAt(at);
          default -> v.insert(at, (char) (32 + r.nextInt(95)));
        }
      }
      try {
        e.authenticate(Map.of("authorization", List.of(v.toString())));
      } catch (AuthenticationException expected) {
        refused++;
        assertThat(expected.getMessage()).doesNotContain("builder");
      }
    }
    assertThat(refused).isGreaterThan(300);
  }
}
