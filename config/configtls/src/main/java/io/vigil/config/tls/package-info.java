/**
 * TLS as the Collector's {@code configtls} spells it: the {@code tls} block of a server
 * ({@link io.vigil.config.tls.TlsServerSettings}) and of a client
 * ({@link io.vigil.config.tls.TlsClientSettings}), validated with key paths, and the JDK key and
 * trust managers built from their PEM files, reloaded when the files change. Netty, grpc-java and
 * the JDK's HTTP client all take these managers, so one loader serves every server and exporter.
 */
package io.vigil.config.tls;
