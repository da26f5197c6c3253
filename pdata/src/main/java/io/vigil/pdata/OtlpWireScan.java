package io.vigil.pdata;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnsafeByteOperations;
import com.google.protobuf.WireFormat;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks an encoded OTLP export request and counts its items without decoding it into objects.
 * When nothing in a pipeline reads the data (no processor, a durable queue storing the bytes as
 * they came), decoding is a receiver's largest cost at the rate a node agent runs at, and all
 * it is needed for is to refuse what is not a valid request and to count items.
 *
 * <p>It accepts exactly what protobuf-java's parser accepts: the same walk over the message
 * descriptors, UTF-8 checked in every {@code string} field (proto3), packed and unpacked
 * repeated scalars, unknown fields and groups skipped, a wire type that does not match its
 * field treated as an unknown field, the same recursion limit. {@code OtlpWireScanTest} holds it
 * to that on mutated and random requests. It also applies the OTLP receiver's item rules: a
 * span or log record with an ID of the wrong length makes it answer {@link #NEEDS_DECODING}, so
 * the receiver decodes and removes that item as before.
 */
public final class OtlpWireScan {

  /** The request has items the receiver removes; decode it to do so. */
  public static final int NEEDS_DECODING = -1;

  /** protobuf-java's default recursion limit. */
  private static final int RECURSION_LIMIT = 100;

  private static final Descriptor SPAN = Span.getDescriptor();
  private static final Descriptor LOG_RECORD = LogRecord.getDescriptor();
  private static final Map<Descriptor, Boolean> ITEMS = Map.of(SPAN, true, LOG_RECORD, true,
      NumberDataPoint.getDescriptor(), true, HistogramDataPoint.getDescriptor(), true,
      ExponentialHistogramDataPoint.getDescriptor(), true, SummaryDataPoint.getDescriptor(), true);

  private OtlpWireScan() {}

  /**
   * The items (spans, log records, metric data points) of {@code request}, an encoded message
   * of type {@code type} (an OTLP export request), or {@link #NEEDS_DECODING}.
   *
   * @throws InvalidProtocolBufferException when the bytes are not a {@code type}
   */
  public static int items(Descriptor type, byte[] request) throws InvalidProtocolBufferException {
    MessagePlan plan = PLANS.get(type);
    if (plan == null) {
      throw new IllegalArgumentException(type.getFullName() + " is not an OTLP export request");
    }
    CodedInputStream in = CodedInputStream.newInstance(request);
    try {
      long n = message(in, request, plan, 0);
      in.checkLastTagWas(0);
      return n < 0 ? NEEDS_DECODING : (int) Math.min(n, Integer.MAX_VALUE);
    } catch (InvalidProtocolBufferException e) {
      throw e;
    } catch (IOException e) {
      throw new InvalidProtocolBufferException(e);
    }
  }

  /** What the scan needs of one field, read from its descriptor once. */
  private static final class FieldPlan {
    final FieldDescriptor.Type type;
    final int wireType;
    final boolean packable;
    final int oneof; // index among the message's oneofs, -1 if none
    MessagePlan message; // for message fields; linked after every plan exists

    FieldPlan(FieldDescriptor f) {
      this.type = f.getType();
      this.wireType = f.getLiteType().getWireType();
      this.packable = f.isRepeated() && f.isPackable();
      this.oneof = f.getContainingOneof() == null ? -1 : f.getContainingOneof().getIndex();
    }

    /** Whether the parser's generated code has a case for this field in this wire type. */
    boolean matches(int wire) {
      return wire == wireType || (packable && wire == WireFormat.WIRETYPE_LENGTH_DELIMITED);
    }
  }

  /**
   * What the scan needs of one message type: fields by number (an array: descriptor look-ups
   * cost more than the rest of the scan), whether it is an item, which ID rule applies.
   */
  private static final class MessagePlan {
    final FieldPlan[] byNumber;
    final int oneofs;
    final boolean item;
    final Descriptor descriptor;
    /** Whether items can be under it: only then do its oneofs need following. */
    boolean holdsItems;

    MessagePlan(Descriptor d) {
      this.descriptor = d;
      int max = 0;
      for (FieldDescriptor f : d.getFields()) {
        max = Math.max(max, f.getNumber());
      }
      byNumber = new FieldPlan[max + 1];
      for (FieldDescriptor f : d.getFields()) {
        byNumber[f.getNumber()] = new FieldPlan(f);
      }
      oneofs = d.getOneofs().size();
      item = ITEMS.containsKey(d);
    }

    FieldPlan field(int number) {
      return number < byNumber.length ? byNumber[number] : null;
    }
  }

  private static final Map<Descriptor, MessagePlan> PLANS = plans(
      io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest.getDescriptor(),
      io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest.getDescriptor(),
      io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest.getDescriptor());

  /** Plans for every message type reachable from {@code roots}. */
  private static Map<Descriptor, MessagePlan> plans(Descriptor... roots) {
    Map<Descriptor, MessagePlan> plans = new HashMap<>();
    java.util.ArrayDeque<Descriptor> todo = new java.util.ArrayDeque<>(List.of(roots));
    while (!todo.isEmpty()) {
      Descriptor d = todo.pop();
      if (plans.containsKey(d)) {
        continue;
      }
      plans.put(d, new MessagePlan(d));
      for (FieldDescriptor f : d.getFields()) {
        if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
          todo.push(f.getMessageType());
        }
      }
    }
    for (MessagePlan p : plans.values()) {
      for (FieldDescriptor f : p.descriptor.getFields()) {
        if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
          p.byNumber[f.getNumber()].message = plans.get(f.getMessageType());
        }
      }
      p.holdsItems = p.item;
    }
    // Items under a type: a fixpoint over the (cyclic: AnyValue) type graph.
    boolean changed = true;
    while (changed) {
      changed = false;
      for (MessagePlan p : plans.values()) {
        if (!p.holdsItems) {
          for (FieldPlan f : p.byNumber) {
            if (f != null && f.message != null && f.message.holdsItems) {
              p.holdsItems = true;
              changed = true;
              break;
            }
          }
        }
      }
    }
    return Map.copyOf(plans);
  }

  /** Reads fields until the end of the current limit; returns its items, or -1. */
  private static long message(CodedInputStream in, byte[] buffer, MessagePlan plan, int depth)
      throws IOException {
    long items = 0;
    boolean needsDecoding = false;
    // Per oneof, the member last seen; per member, the items of all its occurrences. The
    // parser keeps the last member, and merges a member seen again into what it read of it
    // before, even when another member came between (protobuf-java keeps the member's builder).
    // Followed only where items can be under a member (a metric's data), not in AnyValue.
    boolean followOneofs = plan.oneofs > 0 && plan.holdsItems;
    int[] lastMember = followOneofs ? new int[plan.oneofs] : null;
    long[] memberItems = followOneofs ? new long[plan.byNumber.length] : null;
    // Lengths of the ID fields of a span or log record; the last occurrence wins.
    boolean ids = plan.descriptor == SPAN || plan.descriptor == LOG_RECORD;
    int[] idLength = ids ? new int[16] : null;
    while (true) {
      int tag = in.readTag();
      if (tag == 0) {
        break;
      }
      int number = WireFormat.getTagFieldNumber(tag);
      int wireType = WireFormat.getTagWireType(tag);
      FieldPlan f = plan.field(number);
      if (f == null || !f.matches(wireType)) {
        if (wireType == WireFormat.WIRETYPE_END_GROUP) {
          break; // the caller's checkLastTagWas decides whether this group end was expected
        }
        skipUnknown(in, tag, depth);
        continue;
      }
      switch (f.type) {
        case MESSAGE: {
          int length = in.readRawVarint32();
          if (depth >= RECURSION_LIMIT) {
            throw new InvalidProtocolBufferException("Protocol message had too many levels of"
                + " nesting.  May be malicious.  Use setRecursionLimit() to increase the limit.");
          }
          int old = in.pushLimit(length);
          long sub = message(in, buffer, f.message, depth + 1);
          in.checkLastTagWas(0);
          in.popLimit(old);
          if (sub < 0) {
            needsDecoding = true;
            sub = 0;
          }
          if (f.message.item) {
            sub = 1;
          }
          if (f.oneof >= 0 && followOneofs) {
            lastMember[f.oneof] = number;
            memberItems[number] += sub;
          } else {
            items += sub;
          }
          break;
        }
        case STRING: {
          int length = in.readRawVarint32();
          int at = in.getTotalBytesRead();
          in.skipRawBytes(length); // refuses a negative or too long length as the parser does
          if (!UnsafeByteOperations.unsafeWrap(buffer, at, length).isValidUtf8()) {
            throw new InvalidProtocolBufferException("Protocol message had invalid UTF-8.");
          }
          if (f.oneof >= 0 && followOneofs) {
            lastMember[f.oneof] = number;
          }
          break;
        }
        case BYTES: {
          int length = in.readRawVarint32();
          if (ids && number < idLength.length) {
            idLength[number] = length;
          }
          in.skipRawBytes(length);
          if (f.oneof >= 0 && followOneofs) {
            lastMember[f.oneof] = number;
          }
          break;
        }
        default:
          scalar(in, f.type, wireType);
          if (f.oneof >= 0 && followOneofs) {
            lastMember[f.oneof] = number;
          }
      }
    }
    if (followOneofs) {
      for (int member : lastMember) {
        items += memberItems[member];
      }
    }
    if (ids && badIds(plan.descriptor, idLength)) {
      return -1;
    }
    return needsDecoding ? -1 : items;
  }

  /**
   * A scalar field in the wire type its type has, or packed, read with the reader the generated
   * code uses: protobuf-java's readers differ in what they let pass (a ten-byte varint whose
   * last byte still has its continuation bit is read by {@code readInt64} and refused by
   * {@code skipField}), so reading as the parser reads is what makes the answers the same.
   */
  private static void scalar(CodedInputStream in, FieldDescriptor.Type type, int wireType)
      throws IOException {
    if (wireType != WireFormat.WIRETYPE_LENGTH_DELIMITED) {
      read(in, type);
      return;
    }
    // Packed: the parser reads every value, so a ragged or truncated run is refused.
    int length = in.readRawVarint32();
    int old = in.pushLimit(length);
    while (in.getBytesUntilLimit() > 0) {
      read(in, type);
    }
    in.popLimit(old);
  }

  private static void read(CodedInputStream in, FieldDescriptor.Type type) throws IOException {
    switch (type) {
      case DOUBLE -> in.readDouble();
      case FLOAT -> in.readFloat();
      case INT64 -> in.readInt64();
      case UINT64 -> in.readUInt64();
      case INT32 -> in.readInt32();
      case FIXED64 -> in.readFixed64();
      case FIXED32 -> in.readFixed32();
      case BOOL -> in.readBool();
      case UINT32 -> in.readUInt32();
      case ENUM -> in.readEnum();
      case SFIXED32 -> in.readSFixed32();
      case SFIXED64 -> in.readSFixed64();
      case SINT32 -> in.readSInt32();
      case SINT64 -> in.readSInt64();
      default -> throw new IllegalStateException("not a scalar: " + type);
    }
  }

  /**
   * Skips an unknown field as the parser's unknown-field set reads it: varints with
   * {@code readInt64}, groups counted against the recursion limit.
   */
  private static void skipUnknown(CodedInputStream in, int tag, int depth) throws IOException {
    switch (WireFormat.getTagWireType(tag)) {
      case WireFormat.WIRETYPE_VARINT -> in.readInt64();
      case WireFormat.WIRETYPE_FIXED64 -> in.readFixed64();
      case WireFormat.WIRETYPE_FIXED32 -> in.readFixed32();
      case WireFormat.WIRETYPE_LENGTH_DELIMITED -> in.skipRawBytes(in.readRawVarint32());
      case WireFormat.WIRETYPE_START_GROUP -> skipGroup(in, tag, depth);
      default -> throw new InvalidProtocolBufferException("Protocol message tag had invalid wire"
          + " type.");
    }
  }

  private static void skipGroup(CodedInputStream in, int tag, int depth) throws IOException {
    if (depth >= RECURSION_LIMIT) {
      throw new InvalidProtocolBufferException("Protocol message had too many levels of"
          + " nesting.  May be malicious.  Use setRecursionLimit() to increase the limit.");
    }
    while (true) {
      int t = in.readTag();
      if (t == 0 || WireFormat.getTagWireType(t) == WireFormat.WIRETYPE_END_GROUP) {
        in.checkLastTagWas(tag(WireFormat.getTagFieldNumber(tag),
            WireFormat.WIRETYPE_END_GROUP));
        return;
      }
      skipUnknown(in, t, depth + 1);
    }
  }

  private static int tag(int number, int wireType) {
    return (number << 3) | wireType;
  }

  /** The receiver's rule: IDs of the length the specification gives, or (where allowed) none. */
  private static boolean badIds(Descriptor d, int[] length) {
    if (d == SPAN) {
      return length[Span.TRACE_ID_FIELD_NUMBER] != 16 || length[Span.SPAN_ID_FIELD_NUMBER] != 8
          || !(length[Span.PARENT_SPAN_ID_FIELD_NUMBER] == 0
              || length[Span.PARENT_SPAN_ID_FIELD_NUMBER] == 8);
    }
    int trace = length[LogRecord.TRACE_ID_FIELD_NUMBER];
    int span = length[LogRecord.SPAN_ID_FIELD_NUMBER];
    return (trace != 0 && trace != 16) || (span != 0 && span != 8);
  }
}
