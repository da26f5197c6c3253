package io.vigil.config.tls;

import io.vigil.core.config.ConfigException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The key and trust managers built from one reading of the PEM files. The identity is stored under
 * an alias that carries the reading's generation, so a handshake that chose an alias before a
 * reload still gets the certificate and key of that same reading.
 */
final class TlsMaterial {

  final String alias;
  final X509ExtendedKeyManager keyManager;
  final X509ExtendedTrustManager trustManager;
  final X509Certificate[] chain;

  private TlsMaterial(String alias, X509ExtendedKeyManager keyManager,
      X509ExtendedTrustManager trustManager, X509Certificate[] chain) {
    this.alias = alias;
    this.keyManager = keyManager;
    this.trustManager = trustManager;
    this.chain = chain;
  }

  /** Reads the files that are set (empty = not used); every problem names its key. */
  static TlsMaterial load(TlsFiles files, long generation) {
    String alias = "vigil-" + generation;
    X509ExtendedKeyManager km = null;
    X509Certificate[] chain = null;
    if (!files.certFile().isEmpty()) {
      chain = PemFiles.certificates(files.certFile(), files.keyPath() + "::cert_file");
      PrivateKey key = PemFiles.privateKey(files.keyFile(), files.keyPath() + "::key_file");
      km = keyManager(alias, chain, key, files.keyPath());
    }
    X509ExtendedTrustManager tm = null;
    if (!files.caFile().isEmpty()) {
      String caKey = files.keyPath() + "::" + files.caKey();
      tm = trustManager(PemFiles.certificates(files.caFile(), caKey), caKey);
    }
    return new TlsMaterial(alias, km, tm, chain);
  }

  private static X509ExtendedKeyManager keyManager(
      String alias, X509Certificate[] chain, PrivateKey key, String keyPath) {
    try {
      if (!chain[0].getPublicKey().getAlgorithm().equals(key.getAlgorithm())) {
        throw new ConfigException(keyPath + "::key_file", "is a " + key.getAlgorithm()
            + " key but the certificate in cert_file holds a " + chain[0].getPublicKey()
            .getAlgorithm() + " key");
      }
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      ks.setKeyEntry(alias, key, new char[0], chain);
      // SunX509 keeps aliases as given (NewSunX509 rewrites them), which the alias routing needs.
      KeyManagerFactory kmf = KeyManagerFactory.getInstance("SunX509");
      kmf.init(ks, new char[0]);
      for (KeyManager m : kmf.getKeyManagers()) {
        if (m instanceof X509ExtendedKeyManager) {
          return (X509ExtendedKeyManager) m;
        }
      }
      throw new IllegalStateException("SunX509 offers no X509ExtendedKeyManager");
    } catch (java.io.IOException | GeneralSecurityException e) {
      throw new ConfigException(keyPath + "::key_file",
          "key and certificate do not form a usable identity: " + e.getMessage(), e);
    }
  }

  static X509ExtendedTrustManager trustManager(X509Certificate[] cas, String keyPath) {
    try {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      for (int i = 0; i < cas.length; i++) {
        ks.setCertificateEntry("ca-" + i, cas[i]);
      }
      TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
      tmf.init(ks);
      for (TrustManager m : tmf.getTrustManagers()) {
        if (m instanceof X509ExtendedTrustManager) {
          return (X509ExtendedTrustManager) m;
        }
      }
      throw new IllegalStateException("PKIX offers no X509ExtendedTrustManager");
    } catch (java.io.IOException | GeneralSecurityException e) {
      throw new ConfigException(keyPath, "cannot trust these certificates: " + e.getMessage(), e);
    }
  }
}
