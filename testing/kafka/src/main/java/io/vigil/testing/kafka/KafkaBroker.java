package io.vigil.testing.kafka;

import static org.awaitility.Awaitility.await;

import io.vigil.testing.FreePort;
import io.vigil.testing.TestCertificates;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * One real Kafka broker in KRaft mode (broker and controller in one node), run from the
 * {@code kafka_2.13} artifact on this JVM's class path as a child JVM: formatted with
 * {@code kafka.tools.StorageTool}, then started with {@code kafka.Kafka}, both listeners on
 * 127.0.0.1 at free ports, data and log in a temporary directory removed on close.
 *
 * <p>A child JVM rather than Kafka's in-process test kit: the kit pre-binds its ports on every
 * interface, and the broker's own dependencies (Scala, log4j) stay out of the test's JVM.
 */
public final class KafkaBroker implements AutoCloseable {

  private final Path dir;
  private final Process process;
  private final String bootstrap;
  private final String secureBootstrap;

  private KafkaBroker(Path dir, Process process, String bootstrap, String secureBootstrap) {
    this.dir = dir;
    this.process = process;
    this.bootstrap = bootstrap;
    this.secureBootstrap = secureBootstrap;
  }

  /**
   * A {@code SASL_SSL} listener beside the plaintext one: the broker presents {@code certFile}
   * (PEM chain, leaf first, for 127.0.0.1) with its PKCS#8 {@code keyFile}, and accepts PLAIN
   * for {@code plainUsers} and SCRAM-SHA-256 and SCRAM-SHA-512 for {@code scramUsers} (user
   * name to password).
   */
  public record SaslSslListener(Path certFile, Path keyFile, Map<String, String> plainUsers,
      Map<String, String> scramUsers) {}

  /** Formats and starts a broker; returns once it answers an admin request. */
  public static KafkaBroker start() {
    return start(null);
  }

  /**
   * A broker with a {@code SASL_SSL} listener presenting a certificate {@code ca} issues for
   * 127.0.0.1 (written to {@code dir}), for these PLAIN and SCRAM users.
   */
  public static KafkaBroker startSaslSsl(TestCertificates.Ca ca, Path dir,
      Map<String, String> plainUsers, Map<String, String> scramUsers) {
    TestCertificates.Issued served = ca.server(dir, "broker");
    return start(new SaslSslListener(served.certFile(), served.keyFile(), plainUsers,
        scramUsers));
  }

  /**
   * Like {@link #start()}, with a {@code SASL_SSL} listener too ({@link #secureBootstrapServers});
   * the plaintext listener stays for test setup and inter-broker traffic.
   */
  public static KafkaBroker start(SaslSslListener secure) {
    try {
      Path dir = Files.createTempDirectory("vigil-kafka-");
      int brokerPort = FreePort.pick();
      int controllerPort = FreePort.pick();
      int securePort = secure == null ? -1 : FreePort.pick();
      Path props = dir.resolve("server.properties");
      List<String> lines = new ArrayList<>(List.of(
          "process.roles=broker,controller",
          "node.id=1",
          "controller.quorum.bootstrap.servers=127.0.0.1:" + controllerPort,
          "listeners=PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:"
              + controllerPort + (secure == null ? "" : ",SASL_SSL://127.0.0.1:" + securePort),
          "advertised.listeners=PLAINTEXT://127.0.0.1:" + brokerPort
              + (secure == null ? "" : ",SASL_SSL://127.0.0.1:" + securePort),
          "controller.listener.names=CONTROLLER",
          "inter.broker.listener.name=PLAINTEXT",
          "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"
              + (secure == null ? "" : ",SASL_SSL:SASL_SSL"),
          "log.dirs=" + dir.resolve("data"),
          // One node: internal topics must not ask for replicas that cannot exist, or consumer
          // groups and idempotent producers wait forever.
          "offsets.topic.replication.factor=1",
          "offsets.topic.num.partitions=4",
          "transaction.state.log.replication.factor=1",
          "transaction.state.log.min.isr=1",
          "share.coordinator.state.topic.replication.factor=1",
          "share.coordinator.state.topic.min.isr=1",
          "group.initial.rebalance.delay.ms=0",
          "num.partitions=1",
          "auto.create.topics.enable=true",
          "log.flush.interval.messages=1000000"));
      List<String> format = new ArrayList<>(List.of("kafka.tools.StorageTool", "format", "-t",
          "vigil-test-cluster-0001", "-c", props.toString(), "--standalone"));
      if (secure != null) {
        lines.addAll(saslSslProperties(dir, secure));
        // SCRAM credentials live in the KRaft metadata log: written when the storage is formatted.
        secure.scramUsers().forEach((user, password) -> {
          for (String mechanism : List.of("SCRAM-SHA-256", "SCRAM-SHA-512")) {
            format.add("--add-scram");
            format.add(mechanism + "=[name=" + user + ",password=" + password + "]");
          }
        });
      }
      lines.add("");
      Files.writeString(props, String.join("\n", lines));
      Path logback = dir.resolve("logback.xml");
      Files.writeString(logback, String.join("\n",
          "<configuration>",
          "  <appender name='OUT' class='ch.qos.logback.core.ConsoleAppender'>",
          "    <encoder><pattern>%d{HH:mm:ss.SSS} %-5level %logger{30} - %msg%n</pattern></encoder>",
          "  </appender>",
          "  <root level='WARN'><appender-ref ref='OUT'/></root>",
          "  <logger name='kafka.server.KafkaRaftServer' level='INFO'/>",
          "</configuration>",
          ""));
      Path log = dir.resolve("broker.log");
      run(dir, logback, log, format, true);
      Process broker = run(dir, logback, log, List.of("kafka.Kafka", props.toString()), false);
      KafkaBroker b = new KafkaBroker(dir, broker, "127.0.0.1:" + brokerPort,
          secure == null ? null : "127.0.0.1:" + securePort);
      try {
        b.awaitReady();
      } catch (RuntimeException e) {
        String out = Files.readString(log);
        b.close();
        throw new IllegalStateException("Kafka broker did not start: " + out, e);
      }
      return b;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<String> saslSslProperties(Path dir, SaslSslListener secure)
      throws IOException {
    // Kafka's PEM key store is one file: the key, then the chain.
    Path keyStore = dir.resolve("broker-keystore.pem");
    Files.writeString(keyStore, Files.readString(secure.keyFile()) + "\n"
        + Files.readString(secure.certFile()));
    StringBuilder plain = new StringBuilder(
        "org.apache.kafka.common.security.plain.PlainLoginModule required");
    secure.plainUsers().forEach((user, password) ->
        plain.append(" user_").append(user).append("=\"").append(password).append('"'));
    plain.append(';');
    String scram = "org.apache.kafka.common.security.scram.ScramLoginModule required;";
    return List.of(
        "sasl.enabled.mechanisms=PLAIN,SCRAM-SHA-256,SCRAM-SHA-512",
        "listener.name.sasl_ssl.plain.sasl.jaas.config=" + plain,
        "listener.name.sasl_ssl.scram-sha-256.sasl.jaas.config=" + scram,
        "listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=" + scram,
        "listener.name.sasl_ssl.ssl.keystore.type=PEM",
        "listener.name.sasl_ssl.ssl.keystore.location=" + keyStore);
  }

  private static Process run(Path dir, Path logback, Path log, List<String> mainAndArgs,
      boolean waitForExit) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xms64m", "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
        "-Djava.awt.headless=true",
        "-Dlogback.configurationFile=" + logback,
        "-cp", System.getProperty("java.class.path")));
    cmd.addAll(mainAndArgs);
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    if (waitForExit) {
      try {
        // Generous: on a shared, loaded machine a JVM alone can take a minute to start.
        if (!p.waitFor(3, TimeUnit.MINUTES) || p.exitValue() != 0) {
          p.destroyForcibly();
          throw new IllegalStateException(mainAndArgs.get(0) + " failed: " + Files.readString(log));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        p.destroyForcibly();
        throw new IllegalStateException("interrupted", e);
      }
    }
    return p;
  }

  private void awaitReady() {
    await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200))
        .ignoreExceptions().until(() -> {
          if (!process.isAlive()) {
            throw new IllegalStateException("broker exited with " + process.exitValue());
          }
          try (Admin a = admin()) {
            return !a.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty();
          }
        });
  }

  /** The broker JVM's process ID (benchmarks read its CPU time). */
  public long pid() {
    return process.pid();
  }

  /** {@code 127.0.0.1:port}, the broker's client listener. */
  public String bootstrapServers() {
    return bootstrap;
  }

  /** {@code 127.0.0.1:port} of the {@code SASL_SSL} listener; null without one. */
  public String secureBootstrapServers() {
    return secureBootstrap;
  }

  /** An admin client of this broker; the caller closes it. */
  public Admin admin() {
    return Admin.create(Map.of(
        AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000,
        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10000));
  }

  /** Creates {@code topic} with {@code partitions} partitions and waits until it exists. */
  public void createTopic(String topic, int partitions) {
    try (Admin a = admin()) {
      a.createTopics(List.of(new NewTopic(topic, partitions, (short) 1)))
          .all().get(30, TimeUnit.SECONDS);
      await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() ->
          a.describeTopics(List.of(topic)).allTopicNames().get(5, TimeUnit.SECONDS)
              .get(topic).partitions().stream().allMatch(p -> p.leader() != null));
    } catch (Exception e) {
      throw new IllegalStateException("cannot create topic " + topic, e);
    }
  }

  /** Client properties for this broker, to which a test adds its own. */
  public Properties clientProperties() {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap);
    return p;
  }

  /** The broker's log so far, for a failing test's message. */
  public String log() {
    try {
      return Files.readString(dir.resolve("broker.log"));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // A leftover temp directory is not worth failing a test for.
    }
  }
}
