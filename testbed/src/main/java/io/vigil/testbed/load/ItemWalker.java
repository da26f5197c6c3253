package io.vigil.testbed.load;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import io.vigil.testing.TelemetryPayloads;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Counts the items of an encoded OTLP export request and finds its probe timestamps by walking
 * the protobuf wire format with {@link CodedInputStream}, without building messages: the sink
 * shares a core with the driver, and a full decode there would be measured as gateway slowness.
 */
public final class ItemWalker {

  /** What a request holds: items, and the send times of probe items in it. */
  public interface Visitor {
    void items(int n);

    void probe(long sentNanos);
  }

  private static final byte[] PROBE = TelemetryPayloads.PROBE.getBytes(StandardCharsets.UTF_8);

  private ItemWalker() {}

  public static void traces(byte[] request, Visitor v) throws IOException {
    // ExportTraceServiceRequest.resource_spans(1) → ResourceSpans.scope_spans(2) → ScopeSpans.spans(2)
    forEach(CodedInputStream.newInstance(request), 1, rs ->
        forEach(rs, 2, ss ->
            forEach(ss, 2, span -> {
              v.items(1);
              span(span, v);
            })));
  }

  public static void logs(byte[] request, Visitor v) throws IOException {
    forEach(CodedInputStream.newInstance(request), 1, rl ->
        forEach(rl, 2, sl ->
            forEach(sl, 2, log -> {
              v.items(1);
              logRecord(log, v);
            })));
  }

  public static void metrics(byte[] request, Visitor v) throws IOException {
    forEach(CodedInputStream.newInstance(request), 1, rm ->
        forEach(rm, 2, sm ->
            forEach(sm, 2, metric -> {
              // gauge(5), sum(7), histogram(9), exponential_histogram(10), summary(11): data_points(1)
              while (true) {
                int tag = metric.readTag();
                if (tag == 0) {
                  return;
                }
                int field = WireFormat.getTagFieldNumber(tag);
                if (field == 5 || field == 7 || field == 9 || field == 10 || field == 11) {
                  int[] n = {0};
                  nested(metric, data -> forEach(data, 1, point -> {
                    n[0]++;
                    skipRest(point);
                  }));
                  v.items(n[0]);
                } else {
                  metric.skipField(tag);
                }
              }
            })));
  }

  private static void span(CodedInputStream span, Visitor v) throws IOException {
    boolean probe = false;
    long end = 0;
    while (true) {
      int tag = span.readTag();
      if (tag == 0) {
        break;
      }
      switch (WireFormat.getTagFieldNumber(tag)) {
        case 5 -> probe = Arrays.equals(span.readByteArray(), PROBE);
        case 8 -> end = span.readFixed64();
        default -> span.skipField(tag);
      }
    }
    if (probe) {
      v.probe(end);
    }
  }

  private static void logRecord(CodedInputStream log, Visitor v) throws IOException {
    boolean probe = false;
    long time = 0;
    while (true) {
      int tag = log.readTag();
      if (tag == 0) {
        break;
      }
      switch (WireFormat.getTagFieldNumber(tag)) {
        case 1 -> time = log.readFixed64();
        case 5 -> {
          boolean[] hit = {false};
          nested(log, body -> {
            while (true) {
              int t = body.readTag();
              if (t == 0) {
                return;
              }
              if (WireFormat.getTagFieldNumber(t) == 1) {
                hit[0] = Arrays.equals(body.readByteArray(), PROBE);
              } else {
                body.skipField(t);
              }
            }
          });
          probe = hit[0];
        }
        default -> log.skipField(tag);
      }
    }
    if (probe) {
      v.probe(time);
    }
  }

  private interface Body {
    void read(CodedInputStream in) throws IOException;
  }

  /** Calls {@code body} on each length-delimited occurrence of {@code field}, skipping others. */
  private static void forEach(CodedInputStream in, int field, Body body) throws IOException {
    while (true) {
      int tag = in.readTag();
      if (tag == 0) {
        return;
      }
      if (WireFormat.getTagFieldNumber(tag) == field
          && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
        nested(in, body);
      } else {
        in.skipField(tag);
      }
    }
  }

  private static void nested(CodedInputStream in, Body body) throws IOException {
    int length = in.readRawVarint32();
    int old = in.pushLimit(length);
    body.read(in);
    in.skipRawBytes(in.getBytesUntilLimit());
    in.popLimit(old);
  }

  private static void skipRest(CodedInputStream in) throws IOException {
    in.skipRawBytes(in.getBytesUntilLimit());
  }
}
