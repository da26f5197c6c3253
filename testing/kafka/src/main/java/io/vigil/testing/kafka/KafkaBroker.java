package io.vigil.testing.kafka;

import static org.awaitility.Awaitility.await;

import io.vigil.testing.FreePort;
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

  private KafkaBroker(Path dir, Process process, String bootstrap) {
    this.dir = dir;
    this.process = process;
    this.bootstrap = bootstrap;
  }

  /** Formats and starts a broker; returns once it answers an admin request. */
  public static KafkaBroker start() {
    try {
      Path dir = Files.createTempDirectory("vigil-kafka-");
      int brokerPort = FreePort.pick();
      int controllerPort = FreePort.pick();
      Path props = dir.resolve("server.properties");
      Files.writeString(props, String.join("\n",
          "process.roles=broker,controller",
          "node.id=1",
          "controller.quorum.bootstrap.servers=127.0.0.1:" + controllerPort,
          "listeners=PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:"
              + controllerPort,
          "advertised.listeners=PLAINTEXT://127.0.0.1:" + brokerPort,
          "controller.listener.names=CONTROLLER",
          "inter.broker.listener.name=PLAINTEXT",
          "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
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
          "log.flush.interval.messages=1000000",
          ""));
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
      run(dir, logback, log, List.of("kafka.tools.StorageTool", "format", "-t",
          "vigil-test-cluster-0001", "-c", props.toString(), "--standalone"), true);
      Process broker = run(dir, logback, log, List.of("kafka.Kafka", props.toString()), false);
      KafkaBroker b = new KafkaBroker(dir, broker, "127.0.0.1:" + brokerPort);
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
