package io.vigil.featurerows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelRegistryTest {

  @TempDir Path dir;

  @Test
  void publishesNumberedVersionsAndMovesCurrent() throws Exception {
    ModelRegistry r = new ModelRegistry(dir);
    assertThat(r.current("failure")).isEmpty();
    ModelRegistry.Version v1 = r.publish("failure", new byte[] {1}, "{}", true);
    ModelRegistry.Version v2 = r.publish("failure", new byte[] {2}, "{\"x\":1}", false);
    assertThat(v1.version()).isEqualTo("v0001");
    assertThat(v2.version()).isEqualTo("v0002");
    assertThat(r.versions("failure")).containsExactly("v0001", "v0002");
    assertThat(r.current("failure").orElseThrow().version()).isEqualTo("v0001");
    r.promote(v2);
    assertThat(r.current("failure").orElseThrow().modelFile()).hasBinaryContent(new byte[] {2});
    assertThat(Files.readString(v2.metadataFile())).isEqualTo("{\"x\":1}");
    try (var files = Files.list(dir.resolve("failure"))) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .as("no temporary left behind").containsExactlyInAnyOrder("v0001", "v0002", "current");
    }
  }

  @Test
  void refusesNamesThatLeaveTheRoot() {
    ModelRegistry r = new ModelRegistry(dir);
    assertThatThrownBy(() -> r.publish("../x", new byte[0], "{}", true))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("../x");
  }

  @Test
  void currentNamingAMissingVersionIsAnError() throws Exception {
    Files.createDirectories(dir.resolve("m"));
    Files.writeString(dir.resolve("m/current"), "v0007\n");
    assertThatThrownBy(() -> new ModelRegistry(dir).current("m"))
        .hasMessageContaining("v0007");
  }
}
