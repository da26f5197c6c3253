package io.vigil.receiver.otlp;

import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import io.vigil.config.tls.TlsServerSettings;
import io.vigil.core.auth.AuthSettings;

/**
 * Config of the {@code otlp} receiver; keys as the collector's otlpreceiver. A protocol is on
 * when its key is present: {@code grpc:} with no value means "on, with defaults".
 */
public class OtlpReceiverConfig {

  /** {@code protocols}. */
  public static class Protocols {
    @JsonSetter(nulls = Nulls.AS_EMPTY)
    public GrpcSettings grpc;

    @JsonSetter(nulls = Nulls.AS_EMPTY)
    public HttpSettings http;
  }

  /** {@code protocols::grpc}. */
  public static class GrpcSettings {
    public String endpoint = "0.0.0.0:4317";
    /** Largest request accepted, in MiB; larger ones get RESOURCE_EXHAUSTED. */
    public int maxRecvMsgSizeMib = 4;
    /** Absent: plaintext. Present: TLS, and mTLS with {@code client_ca_file}. */
    @JsonSetter(nulls = Nulls.AS_EMPTY)
    public TlsServerSettings tls;
    /** {@code authenticator: ID} of a server authenticator extension; absent: none. */
    public AuthSettings auth;
  }

  /** {@code protocols::http}. */
  public static class HttpSettings {
    public String endpoint = "0.0.0.0:4318";
    /** Largest body accepted, in bytes, before and after decompression; larger gets 413. */
    public long maxRequestBodySize = 20L * 1024 * 1024;
    public String tracesUrlPath = "/v1/traces";
    public String metricsUrlPath = "/v1/metrics";
    public String logsUrlPath = "/v1/logs";
    /** Absent: plaintext. Present: TLS, and mTLS with {@code client_ca_file}. */
    @JsonSetter(nulls = Nulls.AS_EMPTY)
    public TlsServerSettings tls;
    /** {@code authenticator: ID} of a server authenticator extension; absent: none. */
    public AuthSettings auth;
  }

  public Protocols protocols = new Protocols();
}
