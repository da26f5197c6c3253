package io.vigil.pdata;

import com.google.protobuf.Message;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The bytes a receiver parsed each request message from, so that a durable sending queue can
 * store them as they arrived instead of serializing the message again.
 *
 * <p>Keyed by identity: protobuf messages are immutable, so the very object a receiver parsed
 * still holds exactly the data of those bytes, while a processor that changes data builds a new
 * message, which has no entry here and is serialized as before. Equality would be wrong (and a
 * deep hash of the whole request costly).
 *
 * <p>Hand-rolled rather than Caffeine's {@code weakKeys()} (identity too): Caffeine is not a
 * dependency of any library module, and this needs one map and a reference queue. Keys are weak
 * so a message nobody holds any more releases its bytes even if no one called {@link #forget};
 * receivers call it once the pipeline answered, so the bytes live only while a request is in
 * flight, not as long as an in-memory queue keeps the message.
 */
public final class ReceivedBytes {

  private static final ConcurrentHashMap<IdentityKey, byte[]> BYTES = new ConcurrentHashMap<>();
  private static final ReferenceQueue<Message> COLLECTED = new ReferenceQueue<>();

  private ReceivedBytes() {}

  /** Records that {@code message} was parsed from {@code bytes} (not copied: do not modify). */
  public static <T extends Message> T remember(T message, byte[] bytes) {
    expungeCollected();
    BYTES.put(new IdentityKey(message, COLLECTED), bytes);
    return message;
  }

  /** The bytes {@code message} itself was parsed from; null for any other object. */
  public static byte[] of(Message message) {
    return BYTES.get(new IdentityKey(message, null));
  }

  /** Drops {@code message}'s bytes: nothing will ask for them any more. */
  public static void forget(Message message) {
    BYTES.remove(new IdentityKey(message, null));
  }

  /** Entries held now, collected keys not yet expunged included; for tests. */
  static int size() {
    expungeCollected();
    return BYTES.size();
  }

  private static void expungeCollected() {
    for (Object k; (k = COLLECTED.poll()) != null; ) {
      BYTES.remove(k);
    }
  }

  /** A weak reference equal to another only when both refer to the same live object. */
  private static final class IdentityKey extends WeakReference<Message> {
    private final int hash;

    IdentityKey(Message referent, ReferenceQueue<Message> queue) {
      super(referent, queue);
      this.hash = System.identityHashCode(referent);
    }

    @Override
    public int hashCode() {
      return hash;
    }

    @Override
    public boolean equals(Object o) {
      if (o == this) {
        return true; // how a collected key finds itself to be removed
      }
      if (!(o instanceof IdentityKey k)) {
        return false;
      }
      Message referent = get();
      return referent != null && referent == k.get();
    }
  }
}
