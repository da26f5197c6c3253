package io.vigil.exporter.otlphttp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.core.component.ComponentId;
import io.vigil.core.component.ComponentKind;
import io.vigil.core.config.ConfigException;
import io.vigil.testing.ConfigTestdata;
import org.junit.jupiter.api.Test;

/** {@code compression} takes the Collector's values: gzip, zstd, snappy, none. */
class OtlpHttpCompressionConfigTest {

  @Test
  void zstdIsAccepted() {
    var c = (OtlpHttpExporterConfig) ConfigTestdata.load("good-compression-zstd.yaml")
        .component(ComponentKind.EXPORTER, ComponentId.of("otlphttp")).config();
    assertThat(c.compression).isEqualTo("zstd");
  }

  @Test
  void unknownCompressionNamesTheKeyAndTheSupportedValues() {
    assertThatThrownBy(() -> ConfigTestdata.load("bad-compression-lz4.yaml"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("exporters::otlphttp::compression: unsupported value \"lz4\";"
            + " use none, gzip, zstd, snappy");
  }
}
