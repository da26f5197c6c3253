package io.vigil.testing;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;

/**
 * Certificates made fresh for a test with BouncyCastle: a CA, and server and client certificates
 * it signs, written as PEM files (certificate, PKCS#8 key) the way an operator would deploy them.
 * EC P-256 keys: quick to generate, and exercised by every TLS stack under test.
 */
public final class TestCertificates {

  private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

  private TestCertificates() {}

  /** A certificate, its key, and the PEM files both were written to. */
  public record Issued(X509Certificate certificate, PrivateKey key, Path certFile, Path keyFile) {}

  /** A self-signed CA able to issue certificates. */
  public static final class Ca {
    private final Issued self;

    private Ca(Issued self) {
      this.self = self;
    }

    public Path certFile() {
      return self.certFile();
    }

    public X509Certificate certificate() {
      return self.certificate();
    }

    /**
     * A JDK TLS context that trusts this CA only and, when {@code identity} is not null,
     * presents it: a client's certificate for mutual TLS, or a server's (whose clients are then
     * checked against this CA when the server asks for one).
     */
    public SSLContext context(Issued identity) {
      try {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", certificate());
        TrustManagerFactory tmf =
            TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        KeyManager[] keys = null;
        if (identity != null) {
          KeyStore ks = KeyStore.getInstance("PKCS12");
          ks.load(null, null);
          ks.setKeyEntry("id", identity.key(), new char[0],
              new X509Certificate[] {identity.certificate()});
          KeyManagerFactory kmf =
              KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
          kmf.init(ks, new char[0]);
          keys = kmf.getKeyManagers();
        }
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(keys, tmf.getTrustManagers(), null);
        return ctx;
      } catch (GeneralSecurityException | IOException e) {
        throw new IllegalStateException(e);
      }
    }

    /** A server certificate for localhost and 127.0.0.1, valid for a day. */
    public Issued server(Path dir, String name) {
      return issue(dir, name, "localhost", KeyPurposeId.id_kp_serverAuth,
          Instant.now().minus(Duration.ofHours(1)), Instant.now().plus(Duration.ofDays(1)));
    }

    /** A client certificate with this common name, valid for a day. */
    public Issued client(Path dir, String name) {
      return issue(dir, name, name, KeyPurposeId.id_kp_clientAuth,
          Instant.now().minus(Duration.ofHours(1)), Instant.now().plus(Duration.ofDays(1)));
    }

    /** A client certificate with this common name whose validity ended yesterday. */
    public Issued expiredClient(Path dir, String name) {
      return issue(dir, name, name, KeyPurposeId.id_kp_clientAuth,
          Instant.now().minus(Duration.ofDays(3)), Instant.now().minus(Duration.ofDays(1)));
    }

    /** A server certificate whose validity ended yesterday. */
    public Issued expiredServer(Path dir, String name) {
      return issue(dir, name, "localhost", KeyPurposeId.id_kp_serverAuth,
          Instant.now().minus(Duration.ofDays(3)), Instant.now().minus(Duration.ofDays(1)));
    }

    private Issued issue(Path dir, String name, String cn, KeyPurposeId purpose,
        Instant from, Instant to) {
      try {
        KeyPair kp = keyPair();
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(
            new X500Name(self.certificate().getSubjectX500Principal().getName()),
            BigInteger.valueOf(SERIAL.incrementAndGet()), Date.from(from), Date.from(to),
            new X500Name("CN=" + cn), kp.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        b.addExtension(Extension.keyUsage, true,
            new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
        b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
        if (purpose == KeyPurposeId.id_kp_serverAuth) {
          b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(
              new GeneralName[] {
                new GeneralName(GeneralName.dNSName, cn),
                new GeneralName(GeneralName.iPAddress, "127.0.0.1")
              }));
        }
        X509Certificate cert = sign(b, self.key());
        return write(dir, name, cert, kp.getPrivate());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** A new CA named {@code name}, its certificate written to {@code dir/name.crt}. */
  public static Ca ca(Path dir, String name) {
    try {
      KeyPair kp = keyPair();
      Instant now = Instant.now();
      X500Name subject = new X500Name("CN=" + name);
      X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(subject,
          BigInteger.valueOf(SERIAL.incrementAndGet()), Date.from(now.minus(Duration.ofHours(1))),
          Date.from(now.plus(Duration.ofDays(2))), subject, kp.getPublic());
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
      b.addExtension(Extension.keyUsage, true,
          new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      return new Ca(write(dir, name, sign(b, kp.getPrivate()), kp.getPrivate()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes a certificate and key over existing files, as a rotation on disk does. */
  public static void replace(Issued with, Path certFile, Path keyFile) {
    try {
      Files.writeString(certFile, Files.readString(with.certFile()));
      Files.writeString(keyFile, Files.readString(with.keyFile()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The PEM text of a certificate. */
  public static String pem(X509Certificate cert) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(out)) {
      w.writeObject(cert);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  private static KeyPair keyPair() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(256);
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey issuerKey) {
    try {
      return new JcaX509CertificateConverter()
          .getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey)));
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Issued write(Path dir, String name, X509Certificate cert, PrivateKey key)
      throws IOException {
    Files.createDirectories(dir);
    Path certFile = dir.resolve(name + ".crt");
    Path keyFile = dir.resolve(name + ".key");
    Files.writeString(certFile, pem(cert));
    StringWriter k = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(k)) {
      w.writeObject(new PemObject("PRIVATE KEY", key.getEncoded()));
    }
    Files.writeString(keyFile, k.toString(), StandardCharsets.US_ASCII);
    return new Issued(cert, key, certFile, keyFile);
  }
}
