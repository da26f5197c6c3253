package io.vigil.receiver.fluentforward;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.net.ssl.SSLContext;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.ArrayValue;
import org.msgpack.value.Value;

/**
 * A forward client written from the Forward Protocol Specification v1 with msgpack-core, for the
 * handshake with user authentication: neither Fluency nor fluent-logger-java implements
 * HELO/PING/PONG (Fluent Bit and Fluentd do; neither is installable here).
 */
final class SpecForwardClient implements AutoCloseable {

  static final String HOSTNAME = "fluent-bit-node-3";
  private static final String SALT = "salty";

  private final Socket socket;
  private final MessageUnpacker in;
  byte[] nonce;
  /** The HELO's {@code auth}: the salt for the password digest, empty without user auth. */
  byte[] authSalt;

  /** Connects over TLS trusting {@code tls}'s CA, or in plaintext when it is null. */
  SpecForwardClient(int port, SSLContext tls) throws IOException {
    this.socket = tls == null ? new Socket("127.0.0.1", port)
        : tls.getSocketFactory().createSocket("localhost", port);
    socket.setSoTimeout(10_000);
    this.in = MessagePack.newDefaultUnpacker(socket.getInputStream());
  }

  /** Reads the HELO and keeps its nonce and auth salt. */
  void readHelo() throws IOException {
    ArrayValue helo = in.unpackValue().asArrayValue();
    if (!helo.get(0).asStringValue().asString().equals("HELO")) {
      throw new IOException("expected HELO, got " + helo);
    }
    for (var e : helo.get(1).asMapValue().map().entrySet()) {
      String key = e.getKey().asStringValue().asString();
      if (key.equals("nonce")) {
        nonce = e.getValue().asRawValue().asByteArray();
      } else if (key.equals("auth")) {
        authSalt = e.getValue().asRawValue().asByteArray();
      }
    }
  }

  /** Sends the PING for these credentials and returns the PONG. */
  ArrayValue ping(String sharedKey, String username, String password) throws Exception {
    return pingThen(sharedKey, username, password, new byte[0]);
  }

  /** Sends the PING and {@code more} in one write, then returns the PONG. */
  ArrayValue pingThen(String sharedKey, String username, String password, byte[] more)
      throws Exception {
    String passwordDigest = username.isEmpty() ? ""
        : sha512Hex(authSalt, username.getBytes(StandardCharsets.UTF_8),
            password.getBytes(StandardCharsets.UTF_8));
    try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
      p.packArrayHeader(6).packString("PING").packString(HOSTNAME).packString(SALT)
          .packString(keyDigest(HOSTNAME, sharedKey)).packString(username)
          .packString(passwordDigest);
      p.writePayload(more);
      write(p.toByteArray());
    }
    return in.unpackValue().asArrayValue();
  }

  /** What the server must send in its PONG to prove it knows the shared key. */
  String keyDigest(String hostname, String sharedKey) throws Exception {
    return sha512Hex(SALT.getBytes(StandardCharsets.UTF_8),
        hostname.getBytes(StandardCharsets.UTF_8), nonce,
        sharedKey.getBytes(StandardCharsets.UTF_8));
  }

  /** Sends one record in message mode with a chunk ID and returns the acknowledged chunk. */
  String sendAcked(String tag, String line, String chunk) throws IOException {
    write(message(tag, line, chunk));
    Value ack = in.unpackValue();
    return ack.asMapValue().map().values().iterator().next().asStringValue().asString();
  }

  /** Sends one record with a chunk ID, ignoring a write the server's close cut short. */
  void sendAckedOrFail(String tag, String line) {
    try {
      write(message(tag, line, "refused"));
    } catch (IOException e) {
      // the TLS handshake failed: what the test expects
    }
  }

  /** True when the server has closed the connection (read end of stream). */
  boolean closedByServer() throws IOException {
    try {
      return !in.hasNext();
    } catch (IOException e) {
      return true; // a TLS connection may end with a reset instead of close_notify
    }
  }

  /** {@code [tag, time, {log: line}, {chunk: chunk}]}: message mode, asking for an ack. */
  private static byte[] message(String tag, String line, String chunk) throws IOException {
    try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
      p.packArrayHeader(4).packString(tag).packLong(1_764_000_000L)
          .packMapHeader(1).packString("log").packString(line)
          .packMapHeader(1).packString("chunk").packString(chunk);
      return p.toByteArray();
    }
  }

  void write(byte[] bytes) throws IOException {
    socket.getOutputStream().write(bytes);
    socket.getOutputStream().flush();
  }

  private static String sha512Hex(byte[]... parts) throws Exception {
    MessageDigest d = MessageDigest.getInstance("SHA-512");
    for (byte[] part : parts) {
      d.update(part);
    }
    return HexFormat.of().formatHex(d.digest());
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
