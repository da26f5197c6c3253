package io.vigil.config.tls;

import io.vigil.testing.TestCertificates;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.X509ExtendedKeyManager;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What reloading costs: the periodic check of unchanged files (three stat calls), and the key
 * manager lookups a handshake makes through the reloading wrapper.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ReloadCheckBenchmark {

  private Path dir;
  private ServerTls tls;
  private X509ExtendedKeyManager km;

  @Setup
  public void setUp() throws IOException {
    dir = Files.createTempDirectory("vigil-tls-bench");
    TestCertificates.Ca ca = TestCertificates.ca(dir, "ca");
    TestCertificates.Issued id = ca.server(dir, "server");
    TlsServerSettings s = new TlsServerSettings();
    s.certFile = id.certFile().toString();
    s.keyFile = id.keyFile().toString();
    s.clientCaFile = ca.certFile().toString();
    tls = s.load("tls");
    km = tls.keyManager();
  }

  @TearDown
  public void tearDown() {
    tls.close();
  }

  @Benchmark
  public boolean checkUnchangedFiles() {
    return tls.material().reloadIfChanged();
  }

  @Benchmark
  public Object handshakeLookups() {
    String alias = km.chooseEngineServerAlias("EC", null, null);
    km.getCertificateChain(alias);
    return km.getPrivateKey(alias);
  }
}
