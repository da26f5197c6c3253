package io.vigil.extension.filestorage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.core.component.ComponentId;
import io.vigil.core.component.ComponentKind;
import io.vigil.core.config.ConfigException;
import io.vigil.core.config.GatewayConfig;
import io.vigil.testing.ConfigTestdata;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class FileStorageConfigTest {

  private static FileStorageConfig config(GatewayConfig c, String id) {
    return (FileStorageConfig) c.component(ComponentKind.EXTENSION, ComponentId.parse(id)).config();
  }

  @Test
  void goodConfigKeepsDefaultsItDoesNotSetAndMapsTheCollectorsFsync() {
    GatewayConfig c = ConfigTestdata.load("good.yaml");

    FileStorageConfig plain = config(c, "file_storage");
    assertThat(plain.directory).isEqualTo("/var/lib/vigil/file_storage");
    assertThat(plain.effectiveFsyncPolicy()).isEqualTo(FsyncPolicy.EVERY_BATCH);
    assertThat(plain.maxDiskBytes).isEqualTo(1L << 30);
    assertThat(plain.segmentBytes).isEqualTo(16L << 20);
    assertThat(plain.timeout).isEqualTo(Duration.ofSeconds(1));

    FileStorageConfig fast = config(c, "file_storage/fast");
    assertThat(fast.effectiveFsyncPolicy()).isEqualTo(FsyncPolicy.INTERVAL);
    assertThat(fast.fsyncInterval).isEqualTo(Duration.ofMillis(200));
    assertThat(fast.maxDiskBytes).isEqualTo(104_857_600L);
    assertThat(fast.segmentBytes).isEqualTo(1_048_576L);

    FileStorageConfig collector = config(c, "file_storage/collector");
    assertThat(collector.effectiveFsyncPolicy()).isEqualTo(FsyncPolicy.NEVER);
    assertThat(collector.timeout).isEqualTo(Duration.ofSeconds(2));
    assertThat(c.extensions()).extracting(ComponentId::toString)
        .containsExactly("file_storage", "file_storage/fast", "file_storage/collector");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "bad-unknown-key.yaml          | extensions::file_storage::max_disk_byte: unknown key",
    "bad-missing-required.yaml     | extensions::file_storage::directory: required",
    "bad-wrong-type.yaml           | extensions::file_storage::max_disk_bytes: cannot use \"lots\" as an integer",
    "bad-fsync-policy.yaml         | extensions::file_storage::fsync_policy: unsupported value \"always\"; use every_batch, interval, never",
    "bad-fsync-contradiction.yaml  | extensions::file_storage::fsync: fsync: true contradicts fsync_policy: never",
    "bad-budget.yaml               | extensions::file_storage::max_disk_bytes: must be at least twice segment_bytes",
    "bad-unlisted-but-invalid.yaml | extensions::file_storage/unused::directory: required",
    "listed-not-configured.yaml    | service::extensions: references extension \"file_storage\" which is not configured",
  })
  void badConfigNamesTheKey(String file, String message) {
    assertThatThrownBy(() -> ConfigTestdata.load(file))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(message);
  }
}
