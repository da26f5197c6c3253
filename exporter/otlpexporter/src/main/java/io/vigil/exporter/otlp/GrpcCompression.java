package io.vigil.exporter.otlp;

import io.grpc.Codec;
import io.grpc.CompressorRegistry;
import io.grpc.DecompressorRegistry;
import io.vigil.exporter.exporterhelper.Compression;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * grpc-java knows gzip only; zstd and snappy (the Collector's other gRPC compressions) are
 * registered here as codecs over zstd-jni and snappy-java, under the same encoding names Go's
 * gRPC uses, so a Collector receiver decompresses them.
 */
final class GrpcCompression {

  private GrpcCompression() {}

  /** What the exporter's channel may compress requests with. */
  static CompressorRegistry compressors() {
    CompressorRegistry r = CompressorRegistry.newEmptyInstance();
    r.register(new Codec.Gzip());
    r.register(codec(Compression.ZSTD));
    r.register(codec(Compression.SNAPPY));
    return r;
  }

  /** What the channel (or a test server) accepts compressed answers in, advertised. */
  static DecompressorRegistry decompressors() {
    return DecompressorRegistry.getDefaultInstance()
        .with(codec(Compression.ZSTD), true)
        .with(codec(Compression.SNAPPY), true);
  }

  private static Codec codec(Compression c) {
    return new Codec() {
      @Override
      public String getMessageEncoding() {
        return c.encoding();
      }

      @Override
      public OutputStream compress(OutputStream os) throws IOException {
        return c.compress(os);
      }

      @Override
      public InputStream decompress(InputStream is) throws IOException {
        return c.decompress(is);
      }
    };
  }
}
