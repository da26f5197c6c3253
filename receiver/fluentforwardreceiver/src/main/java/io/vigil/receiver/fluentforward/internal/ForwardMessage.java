package io.vigil.receiver.fluentforward.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;

import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePackException;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.ArrayValue;
import org.msgpack.value.ExtensionValue;
import org.msgpack.value.MapValue;
import org.msgpack.value.Value;

/**
 * One decoded forward-protocol frame in any of its modes — Message {@code [tag, time, record,
 * option?]}, Forward {@code [tag, [[time, record]...], option?]}, PackedForward
 * {@code [tag, bin, option?]} and CompressedPackedForward (the same, gzip, with
 * {@code compressed: gzip}) — as a tag, entries and the chunk ID to acknowledge.
 */
public final class ForwardMessage {

  /** One event: its time in nanoseconds since the epoch and its record. */
  public static final class Entry {
    public final long timeNanos;
    public final Map<Value, Value> record;

    Entry(long timeNanos, Map<Value, Value> record) {
      this.timeNanos = timeNanos;
      this.record = record;
    }
  }

  public final String tag;
  public final List<Entry> entries;
  /** The option's {@code chunk}, to be answered with {@code {ack: chunk}}; null when absent. */
  public final String chunk;

  private ForwardMessage(String tag, List<Entry> entries, String chunk) {
    this.tag = tag;
    this.entries = entries;
    this.chunk = chunk;
  }

  /** Decodes one frame; {@code maxBytes} bounds what a compressed payload may inflate to. */
  public static ForwardMessage parse(byte[] frame, int maxBytes) throws MalformedFrameException {
    // Walked first: unpackValue allocates each array and map from its header before reading
    // the elements, so no header may claim more than the frame's bytes can fill.
    MsgpackWalk.checkWhole(frame, "the frame is");
    Value root;
    try (MessageUnpacker u = MessagePack.newDefaultUnpacker(frame)) {
      root = u.unpackValue();
    } catch (IOException | MessagePackException e) {
      throw new MalformedFrameException("msgpack", "not valid msgpack: " + e.getMessage());
    }
    if (!root.isArrayValue() || root.asArrayValue().size() < 2 || root.asArrayValue().size() > 4) {
      throw new MalformedFrameException("shape",
          "a forward message is an array of 2 to 4 elements, got " + describe(root));
    }
    ArrayValue a = root.asArrayValue();
    if (!a.get(0).isStringValue()) {
      throw new MalformedFrameException("shape", "the tag must be a string, got " + describe(a.get(0)));
    }
    String tag = MsgpackText.of(a.get(0));
    Value second = a.get(1);
    if (second.isIntegerValue() || second.isExtensionValue() || second.isFloatValue()) {
      if (a.size() < 3) {
        throw new MalformedFrameException("shape", "message mode needs [tag, time, record]");
      }
      Map<Value, Value> record = record(a.get(2));
      Value option = a.size() == 4 ? a.get(3) : null;
      return new ForwardMessage(tag, List.of(new Entry(time(second), record)), chunk(option));
    }
    Value option = a.size() >= 3 ? a.get(2) : null;
    if (second.isArrayValue()) {
      List<Entry> entries = new ArrayList<>();
      for (Value e : second.asArrayValue()) {
        entries.add(entry(e));
      }
      return new ForwardMessage(tag, entries, chunk(option));
    }
    if (second.isBinaryValue() || second.isRawValue()) {
      byte[] packed = second.asRawValue().asByteArray();
      if (isGzip(option)) {
        packed = gunzip(packed, maxBytes);
      }
      return new ForwardMessage(tag, packedEntries(packed), chunk(option));
    }
    throw new MalformedFrameException("shape", "second element must be a time, an array of"
        + " entries or packed entries, got " + describe(second));
  }

  private static List<Entry> packedEntries(byte[] packed) throws MalformedFrameException {
    List<Entry> entries = new ArrayList<>();
    // Walked first, as the frame is: a 5-byte header inside the payload could otherwise claim
    // hundreds of MiB that the bytes after it never fill.
    MsgpackWalk.checkWhole(packed, "packed entries are");
    try (MessageUnpacker u = MessagePack.newDefaultUnpacker(packed)) {
      while (u.hasNext()) {
        entries.add(entry(u.unpackValue()));
      }
    } catch (IOException | MessagePackException e) {
      throw new MalformedFrameException("msgpack", "packed entries are not valid msgpack: "
          + e.getMessage());
    }
    return entries;
  }

  private static Entry entry(Value e) throws MalformedFrameException {
    if (!e.isArrayValue() || e.asArrayValue().size() < 2) {
      throw new MalformedFrameException("shape", "an entry is [time, record], got " + describe(e));
    }
    return new Entry(time(e.asArrayValue().get(0)), record(e.asArrayValue().get(1)));
  }

  private static Map<Value, Value> record(Value v) throws MalformedFrameException {
    if (!v.isMapValue()) {
      throw new MalformedFrameException("shape", "a record must be a map, got " + describe(v));
    }
    return v.asMapValue().map();
  }

  /** Seconds as an integer or float, or the EventTime extension (type 0: uint32 sec, nsec). */
  static long time(Value v) throws MalformedFrameException {
    if (v.isIntegerValue()) {
      return v.asIntegerValue().toLong() * 1_000_000_000L;
    }
    if (v.isFloatValue()) {
      return (long) (v.asFloatValue().toDouble() * 1e9);
    }
    if (v.isExtensionValue()) {
      ExtensionValue ext = v.asExtensionValue();
      if (ext.getType() == 0 && ext.getData().length == 8) {
        ByteBuffer b = ByteBuffer.wrap(ext.getData());
        long sec = Integer.toUnsignedLong(b.getInt());
        long nsec = Integer.toUnsignedLong(b.getInt());
        return sec * 1_000_000_000L + nsec;
      }
    }
    throw new MalformedFrameException("time", "time must be an integer, a float or EventTime,"
        + " got " + describe(v));
  }

  private static String chunk(Value option) {
    if (option == null || !option.isMapValue()) {
      return null;
    }
    Value c = option(option.asMapValue(), "chunk");
    return c != null && c.isStringValue() ? MsgpackText.of(c) : null;
  }

  private static boolean isGzip(Value option) throws MalformedFrameException {
    if (option == null || !option.isMapValue()) {
      return false;
    }
    Value c = option(option.asMapValue(), "compressed");
    if (c == null) {
      return false;
    }
    if (c.isStringValue() && MsgpackText.of(c).equals("gzip")) {
      return true;
    }
    throw new MalformedFrameException("compression", "unsupported compression " + c);
  }

  private static Value option(MapValue option, String key) {
    for (Map.Entry<Value, Value> e : option.map().entrySet()) {
      if (e.getKey().isStringValue() && MsgpackText.of(e.getKey()).equals(key)) {
        return e.getValue();
      }
    }
    return null;
  }

  private static byte[] gunzip(byte[] data, int maxBytes) throws MalformedFrameException {
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(data))) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buf = new byte[8192];
      int n;
      while ((n = in.read(buf)) > 0) {
        if (out.size() + n > maxBytes) {
          throw new MalformedFrameException("too_large",
              "compressed entries inflate beyond " + maxBytes + " bytes");
        }
        out.write(buf, 0, n);
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new MalformedFrameException("compression", "corrupt gzip payload: " + e.getMessage());
    }
  }

  private static String describe(Value v) {
    String s = v.toString();
    return v.getValueType().name().toLowerCase() + " " + (s.length() > 60 ? s.substring(0, 60) + "..." : s);
  }

}
