package io.vigil.pdata;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.OneofDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.util.HashMap;
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
   * of type {@code type}, or {@link #NEEDS_DECODING}.
   *
   * @throws InvalidProtocolBufferException when the bytes are not a {@code type}
   */
  public static int items(Descriptor type, byte[] request) throws InvalidProtocolBufferException {
    CodedInputStream in = CodedInputStream.newInstance(request);
    in.enableAliasing(true); // bytes fields are only measured: no copies
    try {
      long n = message(in, type, 0);
      in.checkLastTagWas(0);
      return n < 0 ? NEEDS_DECODING : (int) Math.min(n, Integer.MAX_VALUE);
    } catch (InvalidProtocolBufferException e) {
      throw e;
    } catch (IOException e) {
      throw new InvalidProtocolBufferException(e);
    }
  }

  /** Reads fields until the end of the current limit; returns its items, or -1. */
  private static long message(CodedInputStream in, Descriptor d, int depth) throws IOException {
    long items = 0;
    boolean needsDecoding = false;
    // Per oneof, the member last seen; per member, the items of all its occurrences. The
    // parser keeps the last member, and merges a member seen again into what it read of it
    // before, even when another member came between (protobuf-java keeps the member's builder).
    Map<OneofDescriptor, FieldDescriptor> oneofCase = null;
    Map<FieldDescriptor, Long> memberItems = null;
    // Lengths of the ID fields of a span or log record; the last occurrence wins.
    int[] idLength = d == SPAN || d == LOG_RECORD ? new int[16] : null;
    while (true) {
      int tag = in.readTag();
      if (tag == 0) {
        break;
      }
      int number = WireFormat.getTagFieldNumber(tag);
      int wireType = WireFormat.getTagWireType(tag);
      FieldDescriptor f = d.findFieldByNumber(number);
      if (f == null || !matches(f, wireType)) {
        if (wireType == WireFormat.WIRETYPE_END_GROUP) {
          break; // the caller's checkLastTagWas decides whether this group end was expected
        }
        skipUnknown(in, tag, depth);
        continue;
      }
      switch (f.getType()) {
        case MESSAGE: {
          int length = in.readRawVarint32();
          if (depth >= RECURSION_LIMIT) {
            throw new InvalidProtocolBufferException("Protocol message had too many levels of"
                + " nesting.  May be malicious.  Use setRecursionLimit() to increase the limit.");
          }
          int old = in.pushLimit(length);
          long sub = message(in, f.getMessageType(), depth + 1);
          in.checkLastTagWas(0);
          in.popLimit(old);
          if (sub < 0) {
            needsDecoding = true;
            sub = 0;
          }
          if (ITEMS.containsKey(f.getMessageType())) {
            sub = 1;
          }
          OneofDescriptor oneof = f.getContainingOneof();
          if (oneof != null) {
            if (oneofCase == null) {
              oneofCase = new HashMap<>(2);
              memberItems = new HashMap<>(2);
            }
            oneofCase.put(oneof, f);
            memberItems.merge(f, sub, Long::sum);
          } else {
            items += sub;
          }
          break;
        }
        case STRING: {
          ByteString s = in.readBytes();
          if (!s.isValidUtf8()) {
            throw new InvalidProtocolBufferException("Protocol message had invalid UTF-8.");
          }
          lastMember(f, oneofCase);
          break;
        }
        case BYTES: {
          int length = in.readRawVarint32();
          if (idLength != null && number < idLength.length) {
            idLength[number] = length;
          }
          in.skipRawBytes(length);
          lastMember(f, oneofCase);
          break;
        }
        default:
          scalar(in, f, wireType);
          lastMember(f, oneofCase);
      }
    }
    if (oneofCase != null) {
      for (FieldDescriptor member : oneofCase.values()) {
        items += memberItems.getOrDefault(member, 0L);
      }
    }
    if (idLength != null && badIds(d, idLength)) {
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
  private static void scalar(CodedInputStream in, FieldDescriptor f, int wireType)
      throws IOException {
    if (wireType != WireFormat.WIRETYPE_LENGTH_DELIMITED) {
      read(in, f.getType());
      return;
    }
    // Packed: the parser reads every value, so a ragged or truncated run is refused.
    int length = in.readRawVarint32();
    int old = in.pushLimit(length);
    while (in.getBytesUntilLimit() > 0) {
      read(in, f.getType());
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

  /** Whether the parser's generated code has a case for this field in this wire type. */
  private static boolean matches(FieldDescriptor f, int wireType) {
    int expected = f.getLiteType().getWireType();
    if (wireType == expected) {
      return true;
    }
    return f.isRepeated() && f.isPackable() && wireType == WireFormat.WIRETYPE_LENGTH_DELIMITED;
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

  private static void lastMember(FieldDescriptor f, Map<OneofDescriptor, FieldDescriptor> cases) {
    OneofDescriptor oneof = f.getContainingOneof();
    if (oneof != null && cases != null) {
      cases.put(oneof, f);
    }
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
