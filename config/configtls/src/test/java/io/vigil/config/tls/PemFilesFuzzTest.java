package io.vigil.config.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.core.config.ConfigException;
import io.vigil.testing.TestCertificates;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded mutations of real PEM certificate and key files: validation either accepts them or
 * fails with a ConfigException naming the key, never with anything else (a parser's
 * IllegalArgumentException, an ArrayIndexOutOfBounds, a hang).
 */
class PemFilesFuzzTest {

  @TempDir Path dir;

  @Test
  void mutatedPemFilesOnlyEverFailAsConfigErrors() throws Exception {
    TestCertificates.Issued id = TestCertificates.ca(dir, "ca").server(dir, "server");
    byte[] cert = Files.readAllBytes(id.certFile());
    byte[] key = Files.readAllBytes(id.keyFile());
    Path certFile = dir.resolve("fuzz.crt");
    Path keyFile = dir.resolve("fuzz.key");
    Random r = new Random(25);
    int refused = 0;
    for (int i = 0; i < 600; i++) {
      boolean mutateCert = r.nextBoolean();
      Files.write(certFile, mutateCert ? mutate(cert, r) : cert);
      Files.write(keyFile, mutateCert ? key : mutate(key, r));
      TlsServerSettings s = new TlsServerSettings();
      s.certFile = certFile.toString();
      s.keyFile = keyFile.toString();
      try {
        s.validate("tls");
      } catch (ConfigException e) {
        refused++;
        // A mangled certificate can still parse with another key algorithm: then the pair is
        // reported as not matching, on key_file.
        assertThat(e.getMessage()).matches("tls::(cert_file|key_file): .+");
      }
    }
    assertThat(refused).isGreaterThan(100);
  }

  private static byte[] mutate(byte[] pem, Random r) {
    byte[] out = pem.clone();
    int edits = 1 + r.nextInt(8);
    for (int k = 0; k < edits; k++) {
      int at = r.nextInt(out.length);
      switch (r.nextInt(4)) {
        case 0 -> out[at] = (byte) r.nextInt(256);
        case 1 -> out[at] = (byte) "ABCDEFabcdef0123+/=\n-".charAt(r.nextInt(21));
        case 2 -> out = java.util.Arrays.copyOf(out, at);
        default -> out = (new String(out, StandardCharsets.ISO_8859_1).substring(0, at)
            + "-----END CERTIFICATE-----\n").getBytes(StandardCharsets.ISO_8859_1);
      }
      if (out.length == 0) {
        break;
      }
    }
    return out;
  }
}
