package io.vigil.extension.basicauth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import org.springframework.security.crypto.bcrypt.BCrypt;

/**
 * One htpasswd hash and how to check a password against it: bcrypt ({@code $2a$}, {@code $2b$},
 * {@code $2y$}, by spring-security-crypto), {@code {SHA}} and {@code {SSHA}} (salted SHA-1).
 */
interface PasswordHash {

  boolean matches(String password);

  /**
   * The hash of an htpasswd line's second field.
   *
   * @throws IllegalArgumentException naming the scheme when it is not supported
   */
  static PasswordHash parse(String hash) {
    if (hash.startsWith("$2a$") || hash.startsWith("$2b$") || hash.startsWith("$2y$")) {
      if (hash.length() != 60) {
        throw new IllegalArgumentException("bcrypt hash of the wrong length");
      }
      return password -> BCrypt.checkpw(password, hash);
    }
    if (hash.startsWith("{SHA}")) {
      byte[] want = decode(hash.substring(5));
      return password -> MessageDigest.isEqual(want, sha1(bytes(password), new byte[0]));
    }
    if (hash.startsWith("{SSHA}")) {
      byte[] all = decode(hash.substring(6));
      if (all.length <= 20) {
        throw new IllegalArgumentException("{SSHA} hash without a salt");
      }
      byte[] want = Arrays.copyOf(all, 20);
      byte[] salt = Arrays.copyOfRange(all, 20, all.length);
      return password -> MessageDigest.isEqual(want, sha1(bytes(password), salt));
    }
    if (hash.startsWith("$apr1$") || hash.startsWith("$1$")) {
      throw new IllegalArgumentException("MD5 hashes ($apr1$) are not supported; re-create the"
          + " entry with bcrypt: htpasswd -B FILE USER");
    }
    throw new IllegalArgumentException("unsupported hash (crypt, SHA-256/512 crypt or plain text);"
        + " re-create the entry with bcrypt: htpasswd -B FILE USER");
  }

  private static byte[] decode(String b64) {
    return Base64.getDecoder().decode(b64);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] sha1(byte[] password, byte[] salt) {
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-1");
      d.update(password);
      d.update(salt);
      return d.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
