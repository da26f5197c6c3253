package io.vigil.kafka;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.vigil.core.Signal;
import io.vigil.core.config.ConfigException;
import io.vigil.pdata.OtlpJson;
import java.nio.charset.StandardCharsets;

/**
 * The value of one Kafka message: an OTLP export request, as binary protobuf
 * ({@code otlp_proto}) or OTLP/JSON ({@code otlp_json}), the Collector's encoding names.
 */
public enum OtlpEncoding {
  OTLP_PROTO("otlp_proto"),
  OTLP_JSON("otlp_json");

  private final String configName;

  OtlpEncoding(String configName) {
    this.configName = configName;
  }

  public String configName() {
    return configName;
  }

  /** Parses {@code value} of {@code keyPath}; the Collector's other encodings are refused. */
  public static OtlpEncoding parse(String keyPath, String value) {
    for (OtlpEncoding e : values()) {
      if (e.configName.equals(value)) {
        return e;
      }
    }
    throw new ConfigException(keyPath, "unsupported encoding \"" + value
        + "\"; use otlp_proto or otlp_json (the Collector's other encodings, e.g. raw,"
        + " jaeger_proto or zipkin_json, are not supported)");
  }

  public byte[] encode(Message request) {
    return this == OTLP_PROTO
        ? request.toByteArray()
        : OtlpJson.print(request).getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Decodes one message value.
   *
   * @throws IllegalArgumentException saying what is wrong with it
   */
  @SuppressWarnings("unchecked")
  public <T extends Message> T decode(Signal<T> signal, byte[] value) {
    if (value == null) {
      throw new IllegalArgumentException("the message has no value (a tombstone)");
    }
    if (this == OTLP_JSON) {
      return (T) OtlpJson.merge(value, signal.empty().newBuilderForType()).build();
    }
    try {
      return signal.parse(value);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("not an OTLP " + signal.name() + " protobuf message: "
          + e.getMessage());
    }
  }
}
