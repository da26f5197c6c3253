package io.vigil.config.tls;

import io.grpc.util.CertificateUtils;
import io.vigil.core.config.ConfigException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;

/**
 * Reads PEM certificates (the JDK's {@link CertificateFactory}) and PKCS#8 private keys (grpc-java's
 * {@link CertificateUtils}, RSA or EC), failing with the config key that named the file.
 */
final class PemFiles {

  private PemFiles() {}

  static X509Certificate[] certificates(String file, String keyPath) {
    byte[] pem = read(file, keyPath);
    try {
      X509Certificate[] certs = CertificateFactory.getInstance("X.509")
          .generateCertificates(new ByteArrayInputStream(pem))
          .toArray(new X509Certificate[0]);
      if (certs.length == 0) {
        throw new ConfigException(keyPath, "no PEM certificate in \"" + file + "\"");
      }
      return certs;
    } catch (CertificateException e) {
      throw new ConfigException(
          keyPath, "\"" + file + "\" is not a PEM certificate: " + e.getMessage(), e);
    }
  }

  static PrivateKey privateKey(String file, String keyPath) {
    byte[] pem = read(file, keyPath);
    String text = new String(pem, StandardCharsets.US_ASCII);
    if (text.contains("-----BEGIN RSA PRIVATE KEY-----")
        || text.contains("-----BEGIN EC PRIVATE KEY-----")) {
      throw new ConfigException(keyPath, "\"" + file + "\" is a PKCS#1/SEC1 key; convert it to"
          + " PKCS#8 with: openssl pkcs8 -topk8 -nocrypt -in " + file + " -out key.pem");
    }
    if (text.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----")) {
      throw new ConfigException(keyPath, "\"" + file + "\" is encrypted; encrypted keys are not"
          + " supported, decrypt it with: openssl pkcs8 -in " + file + " -out key.pem");
    }
    if (!text.contains("-----BEGIN PRIVATE KEY-----")) {
      throw new ConfigException(keyPath, "no PEM private key (BEGIN PRIVATE KEY) in \"" + file
          + "\"");
    }
    try {
      // CertificateUtils wants the BEGIN line on a line of its own, which a hand-edited file
      // with leading text still has; it reads the first key only.
      return CertificateUtils.getPrivateKey(new ByteArrayInputStream(pem));
    } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
      throw new ConfigException(
          keyPath, "\"" + file + "\" holds no usable RSA or EC key: " + e.getMessage(), e);
    }
  }

  /** A file's change stamp: modification time and size, so a same-second rewrite is seen too. */
  static String stamp(String file) {
    try {
      Path p = Path.of(file);
      return Files.getLastModifiedTime(p) + "/" + Files.size(p);
    } catch (IOException e) {
      return "unreadable";
    }
  }

  private static byte[] read(String file, String keyPath) {
    try {
      return Files.readAllBytes(Path.of(file));
    } catch (NoSuchFileException e) {
      throw new ConfigException(keyPath, "no such file \"" + file + "\"");
    } catch (IOException e) {
      throw new ConfigException(keyPath, "cannot read \"" + file + "\": " + e, e);
    }
  }
}
