package io.vigil.gateway;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.opentelemetry.proto.collector.logs.v1.LogsServiceGrpc;
import io.opentelemetry.proto.collector.metrics.v1.MetricsServiceGrpc;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.vigil.core.Signal;
import io.vigil.core.component.ComponentId;
import io.vigil.core.component.ComponentKind;
import io.vigil.core.config.ComponentConfig;
import io.vigil.core.config.ConfigException;
import io.vigil.core.config.GatewayConfig;
import io.vigil.exporter.exporterhelper.DeadLetters;
import io.vigil.exporter.exporterhelper.SendingSettings;
import io.vigil.extension.filestorage.FileStorageConfig;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vigil-gateway deadletter list|replay}: what an exporter's durable queue set aside after
 * permanent errors, and sending it again once the cause is fixed (a backend rejecting a schema,
 * a quota), to any OTLP gRPC endpoint: the backend itself, or a running gateway's own OTLP
 * receiver to go through its pipeline and queue. What was accepted is removed from the file.
 */
@Command(name = "deadletter", mixinStandardHelpOptions = true,
    description = "Lists or replays the requests an exporter's durable queue dead-lettered.",
    subcommands = {DeadLetterCommand.ListDeadLetters.class, DeadLetterCommand.Replay.class})
final class DeadLetterCommand {

  /** Exit code of a replay that stopped before the end (the rest stays in the file). */
  static final int EXIT_REPLAY_INCOMPLETE = 4;

  private DeadLetterCommand() {}

  /** The options both subcommands take: which config, which exporter, which signals. */
  static final class Target {
    @Option(names = {"-c", "--config"}, paramLabel = "FILE", required = true,
        description = "The gateway's config file (to find the exporter's storage directory).")
    Path config;

    @Option(names = "--exporter", paramLabel = "ID", required = true,
        description = "The exporter whose queue dead-lettered the requests, e.g. otlp.")
    String exporter;

    @Option(names = "--signal", paramLabel = "SIGNAL",
        description = "traces, metrics or logs (default: all three).")
    String signal;

    /** The dead-letter file of each selected signal. */
    List<SignalFile> files() {
      GatewayConfig c = VigilGateway.ConfigSource.load(config);
      ComponentId id = ComponentId.parse(exporter);
      String at = "exporters::" + id;
      ComponentConfig e = c.component(ComponentKind.EXPORTER, id);
      if (e == null) {
        throw new ConfigException(at, "no such exporter in " + config);
      }
      if (!(e.config() instanceof SendingSettings s) || s.sendingQueue.storage == null) {
        throw new ConfigException(at + "::sending_queue::storage",
            "not set: only a durable queue writes dead letters");
      }
      ComponentId storageId = ComponentId.parse(s.sendingQueue.storage);
      ComponentConfig ext = c.component(ComponentKind.EXTENSION, storageId);
      if (ext == null || !(ext.config() instanceof FileStorageConfig fs)) {
        throw new ConfigException(at + "::sending_queue::storage",
            "names " + storageId + ", which is not a file_storage extension in " + config);
      }
      Path dir = Path.of(fs.directory).toAbsolutePath();
      return Signal.all().stream()
          .filter(sig -> signal == null || sig.name().equals(signal))
          .map(sig -> new SignalFile(sig, DeadLetters.file(dir, id, sig)))
          .toList();
    }
  }

  record SignalFile(Signal<?> signal, Path file) {}

  @Command(name = "list", mixinStandardHelpOptions = true,
      description = "Prints each signal's dead-letter file with its requests and items.")
  static final class ListDeadLetters implements Callable<Integer> {
    @CommandLine.Mixin Target target = new Target();
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
      PrintWriter out = spec.commandLine().getOut();
      try {
        for (SignalFile f : target.files()) {
          List<byte[]> requests = DeadLetters.read(f.file());
          long items = 0;
          for (byte[] r : requests) {
            items += count(f.signal(), r);
          }
          out.printf("%s: %d request(s), %d %s in %s%n", f.signal().name(), requests.size(),
              items, f.signal().itemName(), f.file());
        }
        out.flush();
        return 0;
      } catch (ConfigException e) {
        spec.commandLine().getErr().println("Error: " + e.getMessage());
        return VigilGateway.EXIT_CONFIG;
      }
    }
  }

  @Command(name = "replay", mixinStandardHelpOptions = true,
      description = "Sends the dead-lettered requests to an OTLP gRPC endpoint, oldest first,"
          + " removing each one the endpoint accepted; stops at the first refusal (exit 4)."
          + " Point --to at the gateway's own OTLP receiver to replay into its queue.")
  static final class Replay implements Callable<Integer> {
    @CommandLine.Mixin Target target = new Target();

    @Option(names = "--to", paramLabel = "HOST:PORT", required = true,
        description = "OTLP gRPC endpoint to send to.")
    String to;

    @Option(names = "--tls", description = "Use TLS (the JVM's trust store); default plaintext.")
    boolean tls;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "10s",
        converter = VigilGateway.DurationConverter.class,
        description = "Per request (default: 10s).")
    Duration timeout;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      List<SignalFile> files;
      try {
        files = target.files();
      } catch (ConfigException e) {
        err.println("Error: " + e.getMessage());
        return VigilGateway.EXIT_CONFIG;
      }
      NettyChannelBuilder b = NettyChannelBuilder.forTarget(to).maxInboundMessageSize(64 << 20);
      ManagedChannel channel = (tls ? b.useTransportSecurity() : b.usePlaintext()).build();
      try {
        for (SignalFile f : files) {
          if (!replay(f, channel, out, err)) {
            out.flush();
            return EXIT_REPLAY_INCOMPLETE;
          }
        }
        out.flush();
        return 0;
      } finally {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    }

    /**
     * One signal's file. It is first renamed aside (under the lock the gateway's appends take),
     * so a gateway still running and writing new dead letters starts a fresh file rather than
     * racing this rewrite; what is not replayed is appended back to the live file at the end. A
     * file left aside by an interrupted replay is taken up first.
     */
    private boolean replay(SignalFile f, ManagedChannel channel, PrintWriter out,
        PrintWriter err) throws IOException {
      Path aside = f.file().resolveSibling(f.file().getFileName() + ".replaying");
      if (!Files.exists(aside) && !DeadLetters.moveAside(f.file(), aside)) {
        out.printf("%s: nothing to replay%n", f.signal().name());
        return true;
      }
      List<byte[]> requests = DeadLetters.read(aside);
      MethodDescriptor<byte[], byte[]> export = exportMethod(f.signal());
      int sent = 0;
      long items = 0;
      String failure = null;
      for (byte[] r : requests) {
        try {
          ClientCalls.blockingUnaryCall(channel, export,
              CallOptions.DEFAULT.withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS),
              r);
        } catch (StatusRuntimeException e) {
          failure = e.getStatus().getCode() + ": " + e.getStatus().getDescription();
          break;
        }
        sent++;
        items += count(f.signal(), r);
      }
      if (sent < requests.size()) {
        DeadLetters.append(f.file(), requests.subList(sent, requests.size()));
      }
      Files.delete(aside);
      out.printf("%s: replayed %d of %d request(s) (%d %s) to %s%n", f.signal().name(), sent,
          requests.size(), items, f.signal().itemName(), to);
      if (failure != null) {
        err.printf("%s: %s refused request %d (%s); it and the %d after it stay in %s%n",
            f.signal().name(), to, sent + 1, failure, requests.size() - sent - 1, f.file());
        err.flush();
        return false;
      }
      return true;
    }
  }

  private static int count(Signal<?> signal, byte[] request) {
    try {
      return countParsed(signal, request);
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      return 0;
    }
  }

  private static <T extends com.google.protobuf.Message> int countParsed(
      Signal<T> signal, byte[] request) throws com.google.protobuf.InvalidProtocolBufferException {
    return signal.itemCount(signal.parse(request));
  }

  /** The signal's OTLP Export method, taking and answering bytes as they are. */
  static MethodDescriptor<byte[], byte[]> exportMethod(Signal<?> signal) {
    MethodDescriptor<?, ?> m = signal == Signal.TRACES ? TraceServiceGrpc.getExportMethod()
        : signal == Signal.METRICS ? MetricsServiceGrpc.getExportMethod()
        : LogsServiceGrpc.getExportMethod();
    return m.toBuilder(RAW, RAW).build();
  }

  private static final MethodDescriptor.Marshaller<byte[]> RAW = new MethodDescriptor.Marshaller<>() {
    @Override
    public InputStream stream(byte[] value) {
      return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      try {
        return stream.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  };
}
