package io.vigil.extension.bearertokenauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.vigil.core.auth.AuthenticationException;
import io.vigil.core.component.ComponentId;
import io.vigil.core.component.ComponentKind;
import io.vigil.core.component.ComponentSettings;
import io.vigil.core.telemetry.GatewayTelemetry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BearerTokenAuthExtensionTest {

  @TempDir Path dir;

  private static BearerTokenAuthExtension started(BearerTokenAuthConfig c) {
    new BearerTokenAuthFactory().validate(c);
    BearerTokenAuthExtension e = new BearerTokenAuthExtension(new ComponentSettings(
        ComponentKind.EXTENSION, ComponentId.of("bearertokenauth"), new GatewayTelemetry()), c);
    e.start();
    return e;
  }

  private static Map<String, List<String>> auth(String value) {
    return Map.of("authorization", List.of(value));
  }

  @Test
  void acceptsAnyConfiguredTokenAndRefusesOthers() {
    BearerTokenAuthConfig c = new BearerTokenAuthConfig();
    c.tokens = List.of("alpha", "beta");
    BearerTokenAuthExtension e = started(c);
    assertThatCode(() -> e.authenticate(auth("Bearer alpha"))).doesNotThrowAnyException();
    assertThatCode(() -> e.authenticate(auth("bearer beta"))).doesNotThrowAnyException();
    assertThatThrownBy(() -> e.authenticate(auth("Bearer gamma")))
        .isInstanceOf(AuthenticationException.class).hasMessage("invalid bearer token");
    assertThatThrownBy(() -> e.authenticate(auth("Basic YWxwaGE=")))
        .hasMessage("Authorization header does not use the Bearer scheme");
    assertThatThrownBy(() -> e.authenticate(Map.of()))
        .hasMessage("missing or empty Authorization header");
    assertThatThrownBy(() -> e.authenticate(auth("Bearer alphaX")))
        .isInstanceOf(AuthenticationException.class);
    assertThat(e.headers()).containsExactly(Map.entry("Authorization", "Bearer alpha"));
  }

  @Test
  void customHeaderWithoutScheme() {
    BearerTokenAuthConfig c = new BearerTokenAuthConfig();
    c.header = "X-API-Key";
    c.scheme = "";
    c.token = "k3y";
    BearerTokenAuthExtension e = started(c);
    assertThatCode(() -> e.authenticate(Map.of("x-api-key", List.of("k3y"))))
        .doesNotThrowAnyException();
    assertThatThrownBy(() -> e.authenticate(auth("k3y"))).isInstanceOf(AuthenticationException.class);
    assertThat(e.headers()).containsExactly(Map.entry("X-API-Key", "k3y"));
  }

  @Test
  void tokenFileRotatedOnDiskIsUsedWithinASecondOrTwo() throws Exception {
    Path file = Files.writeString(dir.resolve("token"), "first-token\n");
    BearerTokenAuthConfig c = new BearerTokenAuthConfig();
    c.filename = file.toString();
    c.token = "ignored-when-a-file-is-set";
    BearerTokenAuthExtension e = started(c);
    e.authenticate(auth("Bearer first-token"));
    assertThat(e.headers()).containsEntry("Authorization", "Bearer first-token");

    Files.writeString(file, "second-token-longer\n");
    await().atMost(Duration.ofSeconds(5)).untilAsserted(
        () -> assertThat(e.headers()).containsEntry("Authorization", "Bearer second-token-longer"));
    e.authenticate(auth("Bearer second-token-longer"));
    assertThatThrownBy(() -> e.authenticate(auth("Bearer first-token")))
        .isInstanceOf(AuthenticationException.class);
  }

  @Test
  void emptiedTokenFileKeepsThePreviousToken() throws Exception {
    Path file = Files.writeString(dir.resolve("token"), "kept");
    BearerTokenAuthConfig c = new BearerTokenAuthConfig();
    c.filename = file.toString();
    BearerTokenAuthExtension e = started(c);
    Files.writeString(file, "   \n");
    // Two checks apart, so the empty file has surely been seen at least once.
    await().pollDelay(Duration.ofMillis(2100)).atMost(Duration.ofSeconds(5))
        .untilAsserted(() -> e.authenticate(auth("Bearer kept")));
  }

  /** Seeded random and mutated header values: a refusal or an acceptance, never a crash. */
  @Test
  void fuzzedHeadersAreOnlyEverRefused() {
    BearerTokenAuthConfig c = new BearerTokenAuthConfig();
    c.token = "s3cr3t-t0ken";
    BearerTokenAuthExtension e = started(c);
    Random r = new Random(25);
    String seed = "Bearer s3cr3t-t0ken";
    int accepted = 0;
    for (int i = 0; i < 20_000; i++) {
      StringBuilder v = new StringBuilder(seed);
      int edits = 1 + r.nextInt(4);
      for (int k = 0; k < edits && v.length() > 0; k++) {
        int at = r.nextInt(v.length());
        switch (r.nextInt(3)) {
          case 0 -> v.setCharAt(at, (char) r.nextInt(0x3000));
          case 1 -> v.deleteCharAt(at);
          default -> v.insert(at, (char) r.nextInt(128));
        }
      }
      try {
        e.authenticate(auth(v.toString()));
        accepted++;
        assertThat(v.toString().strip()).endsWith("s3cr3t-t0ken");
      } catch (AuthenticationException expected) {
        assertThat(expected.getMessage()).doesNotContain("s3cr3t");
      }
    }
    assertThat(accepted).isLessThan(20_000);
  }
}
