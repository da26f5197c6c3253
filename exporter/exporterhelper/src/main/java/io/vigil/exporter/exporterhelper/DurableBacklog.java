package io.vigil.exporter.exporterhelper;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.vigil.core.Signal;
import io.vigil.extension.filestorage.DurableLog;
import io.vigil.extension.filestorage.FileStorageExtension;
import io.vigil.extension.filestorage.LogReader;
import io.vigil.extension.filestorage.StoredRecord;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What a durable sending queue ({@code sending_queue::storage}) holds unsent, read back from its
 * log by someone other than its exporter: the loadbalancing exporter hands a removed backend's
 * requests to the backends that own them now, whether the backend left while this gateway ran
 * or before it started. Records are committed (and their segments deleted) only once the caller
 * says it handed a chunk on, so a crash meanwhile reads them again (at least once).
 *
 * <p>The exporter that wrote the log must not be sending from it: shut it down first. The log
 * reader is the queue's own ({@value DurableQueue#READER}), so a chunk committed here is not
 * sent again by an exporter started on the log later.
 */
public final class DurableBacklog<T extends Message> {

  /** Records read from the log; {@code request} their requests as one, {@code last} the last. */
  public record Chunk<T>(T request, int items, long last) {}

  private final Signal<T> signal;
  private final DurableLog log;
  private final LogReader reader;
  private final Path deadLetter;
  private long deadLettered;

  private DurableBacklog(Signal<T> signal, DurableLog log) throws IOException {
    this.signal = signal;
    this.log = log;
    this.reader = log.reader(DurableQueue.READER);
    this.deadLetter = DeadLetters.inLog(log.directory(), signal);
    // From the last commit: what a stopped exporter read but did not finish is unsent.
    reader.rewind();
  }

  /** The backlog of {@code client}'s log (a sending queue's: see {@link #clientName}). */
  public static <T extends Message> DurableBacklog<T> open(FileStorageExtension storage,
      String client, Signal<T> signal) throws IOException {
    return new DurableBacklog<>(signal, storage.log(client));
  }

  /** The log client name a sending queue of {@code exporter} uses for {@code signal}. */
  public static String clientName(io.vigil.core.component.ComponentId exporter,
      Signal<?> signal) {
    return FileStorageExtension.clientName(io.vigil.core.component.ComponentKind.EXPORTER,
        exporter, signal.name());
  }

  /** Requests appended and not yet committed. */
  public long size() {
    return reader.lag();
  }

  /** Records set aside so far because their bytes did not parse (see {@link #next}). */
  public long deadLettered() {
    return deadLettered;
  }

  /**
   * Up to {@code maxRecords} records after the last chunk returned, as one request; null when
   * none is left. A record that does not parse (a bug: the log checks each record's CRC) is
   * written to the log's dead-letter file, as the queue itself does, and its position is still
   * covered by the chunk, so it does not block the rest.
   */
  public Chunk<T> next(int maxRecords) throws IOException {
    List<StoredRecord> records = reader.next(maxRecords);
    if (records.isEmpty()) {
      return null;
    }
    List<byte[]> good = new ArrayList<>(records.size());
    List<byte[]> bad = new ArrayList<>();
    int items = 0;
    for (StoredRecord r : records) {
      byte[] p = r.payload();
      byte[] message = Arrays.copyOfRange(p, 4, p.length);
      try {
        signal.parser().parseFrom(message);
        good.add(message);
        items += ByteBuffer.wrap(p).getInt();
      } catch (InvalidProtocolBufferException e) {
        bad.add(message);
      }
    }
    if (!bad.isEmpty()) {
      synchronized (deadLetter) {
        DeadLetters.append(deadLetter, bad);
      }
      deadLettered += bad.size();
    }
    long last = records.get(records.size() - 1).position();
    return new Chunk<>(signal.parse(concatenate(good)), items, last);
  }

  /** The chunk was handed on: its records are done and leave the log. */
  public void commit(Chunk<T> chunk) throws IOException {
    reader.commit(chunk.last());
  }

  /** Goes back to the last commit: the next chunk is the first not handed on (to retry it). */
  public void rewind() throws IOException {
    reader.rewind();
  }

  /** The log's directory (for messages). */
  public Path directory() {
    return log.directory();
  }

  private static byte[] concatenate(List<byte[]> messages) {
    int size = 0;
    for (byte[] m : messages) {
      size += m.length;
    }
    byte[] out = new byte[size];
    int at = 0;
    for (byte[] m : messages) {
      System.arraycopy(m, 0, out, at, m.length);
      at += m.length;
    }
    return out;
  }
}
