package io.vigil.receiver.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.core.component.ComponentId;
import io.vigil.core.component.ComponentKind;
import io.vigil.core.component.ComponentRegistry;
import io.vigil.core.config.ConfigException;
import io.vigil.core.config.ConfigLoader;
import io.vigil.core.config.GatewayConfig;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OtlpReceiverConfigTest {

  // The registry holds this module's receiver plus a stand-in exporter from the core test kit.
  private final ComponentRegistry registry = ComponentRegistry.builder()
      .add(ComponentKind.RECEIVER, new OtlpReceiverFactory())
      .add(ComponentKind.EXPORTER, new DebugStandIn())
      .build();

  private static String yaml(String name) throws IOException {
    try (InputStream in = OtlpReceiverConfigTest.class.getResourceAsStream("/testdata/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void presentProtocolKeysEnableThemWithDefaults() throws IOException {
    GatewayConfig c = new ConfigLoader(registry).load(yaml("good.yaml"));
    var cfg = (OtlpReceiverConfig) c.component(ComponentKind.RECEIVER, ComponentId.of("otlp")).config();
    assertThat(cfg.protocols.grpc.maxRecvMsgSizeMib).isEqualTo(16);
    assertThat(cfg.protocols.http).as("`http:` with no value enables HTTP").isNotNull();
    assertThat(cfg.protocols.http.endpoint).isEqualTo("0.0.0.0:4318");
    assertThat(cfg.protocols.http.maxRequestBodySize).isEqualTo(20L << 20);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "bad-no-protocols.yaml | receivers::otlp::protocols: must specify at least one of grpc, http",
    "bad-endpoint.yaml     | receivers::otlp::protocols::grpc::endpoint: expected host:port",
    "bad-unknown-key.yaml  | receivers::otlp::protocols::http::max_body_size: unknown key",
    "bad-wrong-type.yaml   | receivers::otlp::protocols::grpc::max_recv_msg_size_mib: cannot use \"big\" as an integer",
    "bad-tls-missing-file.yaml | receivers::otlp::protocols::grpc::tls::cert_file: no such file \"/nonexistent/vigil/server.crt\"",
    "bad-tls-no-key.yaml   | receivers::otlp::protocols::http::tls::key_file: required when tls is set",
    "bad-tls-version.yaml  | receivers::otlp::protocols::grpc::tls::min_version: unsupported TLS version \"1.4\"",
  })
  void badConfigNamesTheKey(String file, String message) {
    assertThatThrownBy(() -> new ConfigLoader(registry).load(yaml(file)))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(message);
  }

  @Test
  void portInUseFailsStartNamingTheEndpoint() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      OtlpReceiverConfig c = new OtlpReceiverConfig();
      c.protocols.http = new OtlpReceiverConfig.HttpSettings();
      c.protocols.http.endpoint = "127.0.0.1:" + taken.getLocalPort();
      OtlpReceiver r = (OtlpReceiver) new OtlpReceiverFactory().create(
          new io.vigil.core.component.ComponentSettings(ComponentKind.RECEIVER,
              ComponentId.of("otlp"), new io.vigil.core.telemetry.GatewayTelemetry()),
          c, io.vigil.core.component.SignalConsumers.builder().build());
      assertThatThrownBy(r::start)
          .isInstanceOf(ConfigException.class)
          .hasMessage("protocols::http::endpoint: cannot listen on 127.0.0.1:"
              + taken.getLocalPort() + ": address already in use");
    }
  }

  /** A do-nothing exporter named {@code debug}, so test configs have somewhere to go. */
  static final class DebugStandIn
      implements io.vigil.core.component.ExporterFactory<DebugStandIn.Config> {
    static final class Config {}

    @Override
    public String type() {
      return "debug";
    }

    @Override
    public Config createDefaultConfig() {
      return new Config();
    }

    @Override
    public java.util.Set<io.vigil.core.Signal<?>> signals() {
      return java.util.Set.copyOf(io.vigil.core.Signal.all());
    }

    @Override
    public io.vigil.core.component.Exporter create(io.vigil.core.component.ComponentSettings s,
        Config c, java.util.Set<io.vigil.core.Signal<?>> signals) {
      throw new UnsupportedOperationException("config tests never build components");
    }
  }
}
