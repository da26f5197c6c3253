package io.vigil.demo.services.fault;

import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The faults switched on in this service, and the effects that run beside request handling:
 * CPU burn, a memory leak and a log storm run on their own threads while their fault lasts.
 */
@Component
public class FaultInjector {

  private static final Logger log = LoggerFactory.getLogger(FaultInjector.class);
  private static final Logger storm = LoggerFactory.getLogger("io.vigil.demo.services.storm");
  /**
   * The injector's own announcements ("Fault error_rate switched on"), on a logger of their own:
   * the agent sends a logger's name as the log records' instrumentation scope, and the demo's
   * gateway config lists this one in logtemplate's anomalies::ignore_scopes. They are the
   * experimenter's notes, not the system's behaviour, so no detector may learn from them (an
   * incident "found" from them would be the label leaking into the data).
   */
  static final String SWITCH_LOGGER = "io.vigil.demo.faults";
  private static final Logger switches = LoggerFactory.getLogger(SWITCH_LOGGER);
  /** The leak stops growing here, so a long fault degrades the service instead of killing it. */
  private static final double LEAK_CAP_SHARE_OF_HEAP = 0.6;
  /** Where heap_exhaustion's ramp ends: high enough to show, low enough for GC to keep up. */
  private static final double EXHAUSTION_SHARE_OF_HEAP = 0.85;
  /** The share of requests heap_exhaustion fails once its ramp is over. */
  private static final double EXHAUSTED_FAILURE_RATE = 0.5;

  private final Map<FaultKind, ActiveFault> active = new ConcurrentHashMap<>();
  private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "fault-ticker");
    t.setDaemon(true);
    return t;
  });
  private final List<byte[]> leaked = new ArrayList<>();
  private final List<Thread> burners = new ArrayList<>();
  private volatile boolean burning;

  public FaultInjector() {
    ticker.scheduleAtFixedRate(this::tick, 100, 100, TimeUnit.MILLISECONDS);
  }

  /** Switches a fault on (replacing one of the same kind). */
  public synchronized ActiveFault activate(FaultKind kind, Object value, Duration duration) {
    Instant now = Instant.now();
    ActiveFault fault = new ActiveFault(kind, value, now,
        duration == null ? null : now.plus(duration));
    active.put(kind, fault);
    if (kind == FaultKind.CPU_BURN) {
      startBurning((int) fault.number());
    }
    switches.warn("Fault {} switched on ({}={}{})", kind.wireName(), kind.parameter(), value,
        duration == null ? "" : " for " + duration.toSeconds() + "s");
    return fault;
  }

  /** Switches a fault off; true when it was on. */
  public synchronized boolean clear(FaultKind kind) {
    ActiveFault removed = active.remove(kind);
    if (removed == null) {
      return false;
    }
    if (kind == FaultKind.CPU_BURN) {
      stopBurning();
    }
    if (kind == FaultKind.MEMORY_LEAK || kind == FaultKind.HEAP_EXHAUSTION) {
      synchronized (leaked) {
        leaked.clear();
      }
    }
    switches.warn("Fault {} switched off", kind.wireName());
    return true;
  }

  public synchronized void clearAll() {
    for (FaultKind k : List.copyOf(active.keySet())) {
      clear(k);
    }
  }

  public List<ActiveFault> active() {
    return List.copyOf(active.values());
  }

  private ActiveFault get(FaultKind kind) {
    return active.get(kind);
  }

  /** Called before each API request: waits and fails as the faults say. */
  public void beforeRequest(String method, String path) throws InterruptedException {
    ActiveFault latency = get(FaultKind.LATENCY);
    if (latency != null) {
      Thread.sleep((long) latency.number());
    }
    ActiveFault errors = get(FaultKind.ERROR_RATE);
    if (errors != null && ThreadLocalRandom.current().nextDouble() < errors.number()) {
      throw new InjectedFaultException("injected error_rate fault: failing " + method + " " + path);
    }
    ActiveFault exhaustion = get(FaultKind.HEAP_EXHAUSTION);
    if (exhaustion != null && exhausted(exhaustion, Instant.now())
        && ThreadLocalRandom.current().nextDouble() < EXHAUSTED_FAILURE_RATE) {
      throw new InjectedFaultException("Java heap space: no room for the response buffer of "
          + method + " " + path);
    }
  }

  /** Whether heap_exhaustion's ramp is over, so requests fail. */
  static boolean exhausted(ActiveFault f, Instant now) {
    return !now.isBefore(f.since().plusMillis((long) (f.number() * 1000)));
  }

  /** Extra time, in milliseconds, each database query should spend in the database. */
  public int queryDelayMillis() {
    ActiveFault slow = get(FaultKind.SLOW_QUERY);
    return slow == null ? 0 : (int) slow.number();
  }

  public boolean isDown(String dependency) {
    ActiveFault outage = get(FaultKind.DEPENDENCY_OUTAGE);
    return outage != null && dependency.equals(outage.value());
  }

  private void tick() {
    try {
      Instant now = Instant.now();
      for (ActiveFault f : active.values()) {
        if (f.expired(now)) {
          clear(f.kind());
        }
      }
      ActiveFault leak = get(FaultKind.MEMORY_LEAK);
      if (leak != null) {
        leak(leak.number() / 10, LEAK_CAP_SHARE_OF_HEAP);
      }
      ActiveFault exhaustion = get(FaultKind.HEAP_EXHAUSTION);
      if (exhaustion != null) {
        leak(exhaustionStepMegabytes(exhaustion), EXHAUSTION_SHARE_OF_HEAP);
      }
      ActiveFault logStorm = get(FaultKind.LOG_STORM);
      if (logStorm != null) {
        int lines = (int) Math.max(1, logStorm.number() / 10);
        for (int i = 0; i < lines; i++) {
          storm.warn("Retrying cache refresh for key user-{} after timeout ({} of {})",
              ThreadLocalRandom.current().nextInt(100_000), i + 1, lines);
        }
      }
    } catch (RuntimeException e) {
      log.error("Fault ticker failed", e);
    }
  }

  /**
   * One tick's share of heap_exhaustion's leak: what is left to 85 % of the maximum, spread
   * evenly over the ticks left of the ramp, so heap grows steadily whatever the service held.
   */
  private double exhaustionStepMegabytes(ActiveFault f) {
    long ticksLeft = Math.max(1, java.time.Duration.between(Instant.now(),
        f.since().plusMillis((long) (f.number() * 1000))).toMillis() / 100);
    long retained;
    synchronized (leaked) {
      retained = leaked.stream().mapToLong(b -> b.length).sum();
    }
    Runtime rt = Runtime.getRuntime();
    // Aimed at the live set: what the leak retains plus a normal service's (a third of the
    // heap at most here), not at the momentary use, which swings with every collection.
    double target = rt.maxMemory() * EXHAUSTION_SHARE_OF_HEAP - rt.maxMemory() / 3.0;
    return Math.max(0, (target - retained) / ticksLeft / (1024 * 1024));
  }

  private void leak(double megabytes, double capShareOfHeap) {
    if (megabytes <= 0) {
      return;
    }
    Runtime rt = Runtime.getRuntime();
    long used = rt.totalMemory() - rt.freeMemory();
    if (used > rt.maxMemory() * capShareOfHeap) {
      return;
    }
    synchronized (leaked) {
      leaked.add(new byte[(int) (megabytes * 1024 * 1024)]);
    }
  }

  private void startBurning(int threads) {
    stopBurning();
    burning = true;
    for (int i = 0; i < Math.max(1, threads); i++) {
      Thread t = new Thread(() -> {
        long x = 0;
        while (burning) {
          x += Long.numberOfTrailingZeros(System.nanoTime() ^ x);
        }
        if (x == 42) {
          log.trace("unreachable in practice; keeps the loop from being optimised away");
        }
      }, "fault-cpu-burn-" + i);
      t.setDaemon(true);
      t.start();
      burners.add(t);
    }
  }

  private void stopBurning() {
    burning = false;
    burners.clear();
  }

  @PreDestroy
  void stop() {
    burning = false;
    ticker.shutdownNow();
  }
}
