package io.vigil.exporter.elasticsearch;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The NDJSON body of a {@code _bulk} request: per document a {@code create} action line
 * ({@code create}, not {@code index}: data streams accept only that, and a repeated _id is then
 * refused with 409 rather than overwritten) and the source line.
 */
final class BulkRequestBody {

  private static final JsonFactory JSON = new JsonFactory();

  private BulkRequestBody() {}

  static byte[] write(List<BulkDocument> docs) {
    int size = docs.stream().mapToInt(d -> d.source().length + d.index().length() + 64).sum();
    ByteArrayOutputStream out = new ByteArrayOutputStream(size);
    try {
      for (BulkDocument d : docs) {
        try (JsonGenerator g = JSON.createGenerator(out)) {
          g.writeStartObject();
          g.writeObjectFieldStart("create");
          g.writeStringField("_index", d.index());
          g.writeStringField("_id", d.id());
          g.writeEndObject();
          g.writeEndObject();
        }
        out.write('\n');
        out.write(d.source());
        out.write('\n');
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
