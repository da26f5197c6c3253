package io.vigil.exporter.exporterhelper;

import com.github.luben.zstd.ZstdInputStream;
import com.github.luben.zstd.ZstdOutputStream;
import io.vigil.core.config.ConfigException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.xerial.snappy.SnappyFramedInputStream;
import org.xerial.snappy.SnappyFramedOutputStream;

/**
 * The {@code compression} key of exporters that send OTLP: its values as the Collector spells
 * them, each named on the wire by the same word (gRPC {@code grpc-encoding}, HTTP
 * {@code Content-Encoding}).
 *
 * <p>{@code snappy} is the framed format, which is what the Collector's clients send under that
 * name and what its receivers (which also accept the block format) expect.
 */
public enum Compression {
  NONE,
  GZIP,
  ZSTD,
  SNAPPY;

  /** The config value and the wire's encoding name: {@code gzip}, {@code zstd}, ... */
  public String encoding() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses {@code compression}; empty means {@code none}, as in the Collector. Fails with the
   * key path and the values {@code supported} when the value is not one of them.
   */
  public static Compression parse(String keyPath, String value, Set<Compression> supported) {
    String v = value == null ? "" : value.trim();
    Compression found = v.isEmpty() ? NONE : null;
    for (Compression c : values()) {
      if (c.encoding().equals(v)) {
        found = c;
      }
    }
    if (found == null || !supported.contains(found)) {
      throw new ConfigException(keyPath, "unsupported value \"" + value + "\"; use "
          + supported.stream().map(Compression::encoding).collect(Collectors.joining(", ")));
    }
    return found;
  }

  /** Every value: what otlp and otlphttp support. */
  public static Set<Compression> all() {
    return EnumSet.allOf(Compression.class);
  }

  /** Wraps {@code out} so what is written to it is compressed; NONE returns it as is. */
  public OutputStream compress(OutputStream out) throws IOException {
    return switch (this) {
      case NONE -> out;
      case GZIP -> new GZIPOutputStream(out);
      case ZSTD -> new ZstdOutputStream(out);
      case SNAPPY -> new SnappyFramedOutputStream(out);
    };
  }

  /** Wraps {@code in} so what is read from it is decompressed. */
  public InputStream decompress(InputStream in) throws IOException {
    return switch (this) {
      case NONE -> in;
      case GZIP -> new GZIPInputStream(in);
      case ZSTD -> new ZstdInputStream(in);
      case SNAPPY -> new SnappyFramedInputStream(in);
    };
  }

  /** {@code data} compressed in one go (a request body). */
  public byte[] compress(byte[] data) {
    if (this == NONE) {
      return data;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, data.length / 4));
    try (OutputStream c = compress(out)) {
      c.write(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
