package io.vigil.receiver.fluentforward.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePackException;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.ArrayValue;
import org.msgpack.value.Value;

/**
 * The server's side of the forward protocol's handshake (Forward Protocol Specification v1,
 * "Handshake Messages"), one per connection:
 *
 * <ul>
 *   <li>HELO {@code ["HELO", {nonce, auth, keepalive}]}: a fresh nonce, and a fresh salt in
 *       {@code auth} when users must authenticate (empty otherwise);
 *   <li>PING {@code ["PING", hostname, salt, sha512_hex(salt + hostname + nonce + shared_key),
 *       username, sha512_hex(auth_salt + username + password)]}: the client proves it knows the
 *       shared key and, with user authentication, its password, without sending either;
 *   <li>PONG {@code ["PONG", ok, reason, self_hostname, sha512_hex(salt + self_hostname + nonce +
 *       shared_key)]}: the server proves it knows the key too.
 * </ul>
 *
 * <p>Reasons sent to a refused client are the spec's ("shared_key mismatch", "username/password
 * mismatch"), never which of user or password was wrong; the log line says which.
 */
public final class ForwardHandshake {

  private static final SecureRandom RANDOM = new SecureRandom();

  private final String sharedKey;
  private final String selfHostname;
  /** Username to password; empty when users need not authenticate. */
  private final Map<String, String> users;
  private final byte[] nonce = new byte[16];
  private final byte[] authSalt;

  public ForwardHandshake(String sharedKey, String selfHostname, Map<String, String> users) {
    this.sharedKey = sharedKey;
    this.selfHostname = selfHostname;
    this.users = Map.copyOf(users);
    RANDOM.nextBytes(nonce);
    this.authSalt = users.isEmpty() ? new byte[0] : new byte[16];
    RANDOM.nextBytes(authSalt);
  }

  /** {@code ["HELO", {"nonce": nonce, "auth": auth_salt or "", "keepalive": true}]}. */
  public byte[] helo() throws IOException {
    try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
      p.packArrayHeader(2).packString("HELO").packMapHeader(3);
      p.packString("nonce").packBinaryHeader(nonce.length).addPayload(nonce);
      p.packString("auth");
      if (authSalt.length == 0) {
        p.packString("");
      } else {
        p.packBinaryHeader(authSalt.length).addPayload(authSalt);
      }
      p.packString("keepalive").packBoolean(true);
      return p.toByteArray();
    }
  }

  /** The result of checking a PING: the PONG to send, and whether the client may go on. */
  public static final class Result {
    public final byte[] pong;
    public final boolean accepted;
    /** For the log: what was wrong, naming the client and user, never a credential. */
    public final String reason;

    Result(byte[] pong, boolean accepted, String reason) {
      this.pong = pong;
      this.accepted = accepted;
      this.reason = reason;
    }
  }

  /** Checks {@code ["PING", hostname, salt, digest, username, password_digest]}. */
  public Result check(byte[] frame) throws IOException {
    Value v;
    try {
      // Walked first, as ForwardMessage.parse does: this runs before authentication, so no
      // header may make unpackValue allocate more than the frame's bytes can fill.
      MsgpackWalk.checkWhole(frame, "the PING is");
      try (MessageUnpacker u = MessagePack.newDefaultUnpacker(frame)) {
        v = u.unpackValue();
      }
    } catch (MalformedFrameException | MessagePackException e) {
      return new Result(pong(false, "expected PING", ""), false, "a first frame that is not"
          + " valid msgpack: " + e.getMessage());
    }
    if (!v.isArrayValue() || v.asArrayValue().size() < 4
        || !v.asArrayValue().get(0).toString().equals("PING")) {
      return new Result(pong(false, "expected PING", ""), false, "expected PING first");
    }
    ArrayValue a = v.asArrayValue();
    String hostname = text(a.get(1));
    String salt = text(a.get(2));
    String digest = text(a.get(3));
    if (!sameHex(digest(salt, hostname), digest)) {
      return new Result(pong(false, "shared_key mismatch", salt), false,
          "shared key mismatch from " + hostname);
    }
    if (!users.isEmpty()) {
      String username = a.size() > 4 ? text(a.get(4)) : "";
      String passwordDigest = a.size() > 5 ? text(a.get(5)) : "";
      String password = users.get(username);
      // An unknown user costs the same digest as a known one: timing does not tell them apart.
      String expected = passwordDigest(username, password == null ? unguessable() : password);
      if (!sameHex(expected, passwordDigest) || password == null) {
        return new Result(pong(false, "username/password mismatch", salt), false,
            (password == null ? "unknown user \"" : "wrong password for user \"") + username
                + "\" from " + hostname);
      }
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
    MessageDigest d = sha512();
    d.update(salt.getBytes(StandardCharsets.UTF_8));
    d.update(hostname.getBytes(StandardCharsets.UTF_8));
    d.update(nonce);
    d.update(sharedKey.getBytes(StandardCharsets.UTF_8));
    return HexFormat.of().formatHex(d.digest());
  }

  /** {@code sha512_hex(auth_salt + username + password)}. */
  String passwordDigest(String username, String password) {
    MessageDigest d = sha512();
    d.update(authSalt);
    d.update(username.getBytes(StandardCharsets.UTF_8));
    d.update(password.getBytes(StandardCharsets.UTF_8));
    return HexFormat.of().formatHex(d.digest());
  }

  private static String unguessable() {
    byte[] b = new byte[32];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  /** Constant-time, case-insensitive: clients may send upper-case hex. */
  private static boolean sameHex(String expected, String given) {
    return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
        given.toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.US_ASCII));
  }

  private static MessageDigest sha512() {
    try {
      return MessageDigest.getInstance("SHA-512");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-512 is part of every JDK", e);
    }
  }

  private static String text(Value v) {
    return v.isRawValue() ? MsgpackText.of(v) : v.toString();
  }
}
