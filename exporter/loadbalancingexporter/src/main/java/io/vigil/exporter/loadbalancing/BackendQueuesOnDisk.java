package io.vigil.exporter.loadbalancing;

import com.google.protobuf.Message;
import io.vigil.core.Signal;
import io.vigil.core.component.ComponentId;
import io.vigil.core.component.ComponentKind;
import io.vigil.exporter.exporterhelper.DurableBacklog;
import io.vigil.extension.filestorage.FileStorageExtension;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.ObjLongConsumer;
import org.slf4j.Logger;

/**
 * The backends' durable sending queues ({@code protocol::otlp::sending_queue::storage}), one log
 * per backend and signal on the {@code file_storage} extension, named after the backend's
 * exporter ID {@code loadbalancing/[NAME_]host:port}. A backend that left the ring, while this
 * gateway ran or before it started, leaves its log behind: {@link #handOn} reads it back and
 * routes it on the current ring chunk by chunk, committing each chunk only once the backends that
 * own its traces now accepted it (into their own durable queues, by default), so a crash
 * meanwhile loses nothing and re-sends at most a chunk.
 */
final class BackendQueuesOnDisk {

  /** Records per chunk: bounds the heap a hand-over uses whatever the log holds. */
  static final int CHUNK_RECORDS = 64;
  private static final Duration FIRST_PAUSE = Duration.ofMillis(100);
  private static final Duration MAX_PAUSE = Duration.ofSeconds(5);

  /** Routes one request on the current ring, completing when every part was accepted. */
  interface Router {
    <T extends Message> CompletableFuture<Void> route(Signal<T> signal, T request);
  }

  private final ComponentId exporter;
  private final FileStorageExtension storage;
  private final Set<Signal<?>> signals;
  private final Duration attemptTimeout;
  private final Logger log;

  BackendQueuesOnDisk(ComponentId exporter, FileStorageExtension storage,
      Set<Signal<?>> signals, Duration attemptTimeout, Logger log) {
    this.exporter = exporter;
    this.storage = storage;
    this.signals = signals;
    this.attemptTimeout = attemptTimeout;
    this.log = log;
  }

  /** The exporter ID of a backend's otlp exporter: its queue's log is named after it. */
  static ComponentId backendId(ComponentId exporter, String endpoint) {
    return ComponentId.of(exporter.type(),
        (exporter.name().isEmpty() ? "" : exporter.name() + "_") + endpoint);
  }

  /**
   * How a backend appears in its logs' names: the endpoint with what a log name cannot hold
   * replaced (so {@code host~4317}); distinct endpoints stay distinct in practice, as host names
   * and addresses hold none of the replaced characters but {@code :}, {@code [} and {@code ]}.
   */
  String key(String endpoint) {
    String client = DurableBacklog.clientName(backendId(exporter, endpoint), Signal.TRACES);
    return client.substring(prefix().length(), client.length() - suffix(Signal.TRACES).length());
  }

  /**
   * Backends (by {@link #key}) with a log on the storage that are not in {@code members}: what
   * an earlier run queued for backends that are gone.
   */
  Set<String> leftBehind(Set<String> members) throws IOException {
    Set<String> memberKeys = new LinkedHashSet<>();
    members.forEach(m -> memberKeys.add(key(m)));
    Set<String> out = new LinkedHashSet<>();
    String prefix = prefix();
    for (String client : storage.clients()) {
      for (Signal<?> s : signals) {
        String suffix = suffix(s);
        if (client.length() <= prefix.length() + suffix.length() || !client.startsWith(prefix)
            || !client.endsWith(suffix)) {
          continue;
        }
        String k = client.substring(prefix.length(), client.length() - suffix.length());
        // An underscore: another loadbalancing exporter's (loadbalancing/NAME) backend.
        if (!k.contains("_") && !memberKeys.contains(k)) {
          out.add(k);
        }
      }
    }
    return out;
  }

  /**
   * Routes everything the backend's logs hold on the current ring, until they are empty or
   * {@code goOn} turns false (at shutdown, or when the backend is named again: then the rest
   * stays in its log, for its own exporter or the next start). A chunk that fails (no backend
   * on the ring, a refusal) is retried after a pause growing to 5 s.
   *
   * @return the items handed on
   */
  long handOn(String key, Router router, BooleanSupplier goOn,
      ObjLongConsumer<Signal<?>> handedOn) throws InterruptedException {
    long total = 0;
    List<String> present;
    try {
      present = storage.clients();
    } catch (IOException | RuntimeException e) {
      log.warn("loadbalancing {}: cannot list the queues on disk of backend {}: {}", exporter,
          key, e.toString());
      return 0;
    }
    for (Signal<?> s : signals) {
      String client = prefix() + key + suffix(s);
      if (present.contains(client)) {
        total += handOn(client, s, router, goOn, handedOn);
      }
    }
    return total;
  }

  private <T extends Message> long handOn(String client, Signal<T> signal, Router router,
      BooleanSupplier goOn, ObjLongConsumer<Signal<?>> handedOn)
      throws InterruptedException {
    DurableBacklog<T> backlog;
    try {
      backlog = DurableBacklog.open(storage, client, signal);
    } catch (IOException | RuntimeException e) {
      log.warn("loadbalancing {}: cannot open the durable queue {} of a removed backend: {};"
          + " it stays on disk", exporter, client, e.toString());
      return 0;
    }
    long waiting = backlog.size();
    if (waiting > 0) {
      log.info("loadbalancing {}: handing {} {} requests a removed backend queued on disk ({})"
          + " to the backends on the ring", exporter, waiting, signal.name(), backlog.directory());
    }
    long items = 0;
    Duration pause = FIRST_PAUSE;
    // Each pass hands on a chunk or pauses; it ends when the log is empty or at shutdown.
    while (goOn.getAsBoolean()) {
      try {
        DurableBacklog.Chunk<T> chunk = backlog.next(CHUNK_RECORDS);
        if (chunk == null) {
          break;
        }
        router.route(signal, chunk.request())
            .get(attemptTimeout.toMillis(), TimeUnit.MILLISECONDS);
        backlog.commit(chunk);
        items += chunk.items();
        handedOn.accept(signal, chunk.items());
        pause = FIRST_PAUSE;
      } catch (IOException | ExecutionException | TimeoutException | RuntimeException e) {
        log.warn("loadbalancing {}: handing on {} of a removed backend failed, retrying in {}"
            + " ms: {}", exporter, client, pause.toMillis(),
            e instanceof ExecutionException ? e.getCause().toString() : e.toString());
        try {
          backlog.rewind();
        } catch (IOException rewind) {
          log.warn("loadbalancing {}: {}", exporter, rewind.toString());
        }
        pause(pause, goOn);
        pause = pause.multipliedBy(2).compareTo(MAX_PAUSE) > 0 ? MAX_PAUSE : pause.multipliedBy(2);
      }
    }
    if (backlog.deadLettered() > 0) {
      log.warn("loadbalancing {}: {} requests of {} did not parse and were written to its"
          + " dead-letter file", exporter, backlog.deadLettered(), client);
    }
    if (backlog.size() > 0) {
      log.info("loadbalancing {}: {} {} requests of {} stay on disk for the next start",
          exporter, backlog.size(), signal.name(), client);
    }
    return items;
  }

  /** Waits {@code d}, in short slices so that {@code goOn} turning false ends it soon. */
  private static void pause(Duration d, BooleanSupplier goOn) throws InterruptedException {
    long end = System.nanoTime() + d.toNanos();
    CountDownLatch never = new CountDownLatch(1);
    while (goOn.getAsBoolean() && System.nanoTime() < end) {
      never.await(Math.min(50, Math.max(1, (end - System.nanoTime()) / 1_000_000)),
          TimeUnit.MILLISECONDS);
    }
  }

  private String prefix() {
    return FileStorageExtension.clientName(ComponentKind.EXPORTER, exporter, "");
  }

  private static String suffix(Signal<?> s) {
    return "_" + s.name();
  }

  /** For tests: the requests still in the backend's log of {@code signal}. */
  static long queued(FileStorageExtension storage, ComponentId exporter, String endpoint,
      Signal<?> signal) throws IOException {
    String client = DurableBacklog.clientName(backendId(exporter, endpoint), signal);
    return storage.clients().contains(client)
        ? storage.log(client).reader("sender").lag() : 0;
  }
}
