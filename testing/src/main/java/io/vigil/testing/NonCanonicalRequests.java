package io.vigil.testing;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Serialized OTLP requests that protobuf-java would never write: each span's fields come in
 * reverse field-number order. They parse to ordinary messages, but serializing those gives
 * other bytes, so bytes that arrive somewhere unchanged can only have been passed through.
 */
public final class NonCanonicalRequests {

  private NonCanonicalRequests() {}

  /** An ExportTraceServiceRequest of {@code spans} spans (random IDs) named {@code name}. */
  public static byte[] traces(String name, int spans) {
    try {
      ByteArrayOutputStream scope = new ByteArrayOutputStream();
      CodedOutputStream so = CodedOutputStream.newInstance(scope);
      for (int i = 0; i < spans; i++) {
        so.writeByteArray(2, span(name)); // ScopeSpans.spans
      }
      so.flush();
      return field(1, field(2, scope.toByteArray())); // request.resource_spans.scope_spans
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] span(String name) throws IOException {
    ByteArrayOutputStream span = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(span);
    out.writeString(5, name);
    out.writeBytes(2, random(8));
    out.writeBytes(1, random(16));
    out.flush();
    return span.toByteArray();
  }

  private static ByteString random(int n) {
    byte[] b = new byte[n];
    ThreadLocalRandom.current().nextBytes(b);
    b[0] |= 1; // never all zero: an invalid ID
    return ByteString.copyFrom(b);
  }

  private static byte[] field(int number, byte[] message) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    out.writeByteArray(number, message);
    out.flush();
    return bytes.toByteArray();
  }
}
