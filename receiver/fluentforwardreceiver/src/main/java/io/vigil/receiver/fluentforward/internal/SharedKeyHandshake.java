package io.vigil.receiver.fluentforward.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.ArrayValue;
import org.msgpack.value.Value;

/**
 * The forward protocol's shared-key handshake: the server sends HELO with a nonce, the client
 * answers PING with {@code sha512_hex(salt + client_hostname + nonce + shared_key)}, the server
 * checks it and answers PONG with {@code sha512_hex(salt + server_hostname + nonce +
 * shared_key)}, so each side proves it knows the key without sending it.
 */
public final class SharedKeyHandshake {

  private static final SecureRandom RANDOM = new SecureRandom();

  private final String sharedKey;
  private final String selfHostname;
  private final byte[] nonce = new byte[16];

  public SharedKeyHandshake(String sharedKey, String selfHostname) {
    this.sharedKey = sharedKey;
    this.selfHostname = selfHostname;
    RANDOM.nextBytes(nonce);
  }

  /** {@code ["HELO", {"nonce": nonce, "auth": "", "keepalive": true}]}. */
  public byte[] helo() throws IOException {
    try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
      p.packArrayHeader(2).packString("HELO").packMapHeader(3);
      p.packString("nonce").packBinaryHeader(nonce.length).addPayload(nonce);
      p.packString("auth").packString("");
      p.packString("keepalive").packBoolean(true);
      return p.toByteArray();
    }
  }

  /** The result of checking a PING: the PONG to send, and whether the client may go on. */
  public static final class Result {
    public final byte[] pong;
    public final boolean accepted;
    public final String reason;

    Result(byte[] pong, boolean accepted, String reason) {
      this.pong = pong;
      this.accepted = accepted;
      this.reason = reason;
    }
  }

  /** Checks {@code ["PING", hostname, salt, digest, username, password]}. */
  public Result check(byte[] frame) throws IOException {
    Value v;
    try (MessageUnpacker u = MessagePack.newDefaultUnpacker(frame)) {
      v = u.unpackValue();
    }
    if (!v.isArrayValue() || v.asArrayValue().size() < 4
        || !v.asArrayValue().get(0).toString().equals("PING")) {
      return new Result(pong(false, "expected PING", ""), false, "expected PING first");
    }
    ArrayValue a = v.asArrayValue();
    String hostname = text(a.get(1));
    String salt = text(a.get(2));
    String digest = text(a.get(3));
    String expected = digest(salt, hostname);
    if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
        digest.getBytes(StandardCharsets.US_ASCII))) {
      return new Result(pong(false, "shared_key mismatch", salt), false,
          "shared key mismatch from " + hostname);
    }
    return new Result(pong(true, "", salt), true, "");
  }

  private byte[] pong(boolean ok, String reason, String salt) throws IOException {
    try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
      p.packArrayHeader(5).packString("PONG").packBoolean(ok).packString(reason)
          .packString(selfHostname).packString(ok ? digest(salt, selfHostname) : "");
      return p.toByteArray();
    }
  }

  /** {@code sha512_hex(salt + hostname + nonce + shared_key)}. */
  public String digest(String salt, String hostname) {
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-512");
      d.update(salt.getBytes(StandardCharsets.UTF_8));
      d.update(hostname.getBytes(StandardCharsets.UTF_8));
      d.update(nonce);
      d.update(sharedKey.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-512 is part of every JDK", e);
    }
  }

  private static String text(Value v) {
    return v.isRawValue() ? MsgpackText.of(v) : v.toString();
  }
}
