package io.vigil.demo.traffic;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plays a scenario against the storefront: requests at the shape's rate (never above max_rate,
 * never more than max_in_flight waiting), faults switched on and off on schedule, and every
 * fault's actual window written to the ground-truth log.
 */
public final class TrafficGenerator {

  private static final Logger log = LoggerFactory.getLogger(TrafficGenerator.class);
  private static final List<String> ITEMS =
      List.of("espresso-beans", "grinder", "kettle", "mug", "filter-papers");
  private static final Duration TICK = Duration.ofMillis(20);

  private final Scenario scenario;
  private final URI storefront;
  private final FaultSwitch faults;
  private final GroundTruthLog labels;
  private final RecoveryLog recovery;
  /** Faults on now, which each failed request counts against. */
  private final List<Running> running = new CopyOnWriteArrayList<>();
  private final HttpClient http;
  private final RateShape shape;
  private final TrafficStats stats = new TrafficStats();
  private final AtomicBoolean stopped = new AtomicBoolean();
  // Only the run loop's thread draws requests, so one seeded Random gives each seed its own
  // reproducible sequence of request kinds, items and quantities.
  private final Random requests;

  public TrafficGenerator(Scenario scenario, Map<String, URI> services, GroundTruthLog labels) {
    this(scenario, services, labels, null);
  }

  /** @param recovery where each fault's time to recovery goes; null = nowhere */
  public TrafficGenerator(Scenario scenario, Map<String, URI> services, GroundTruthLog labels,
      RecoveryLog recovery) {
    this.scenario = scenario;
    this.recovery = recovery;
    this.storefront = services.get("storefront");
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    this.faults = new FaultSwitch(http, services);
    this.labels = labels;
    this.shape = new RateShape(scenario);
    this.requests = new Random(scenario.seed());
  }

  /** Asks a running {@link #run} to end early; faults still on are switched off and labelled. */
  public void stop() {
    stopped.set(true);
  }

  public TrafficStats stats() {
    return stats;
  }

  /** Runs the scenario to its end (or until {@link #stop}); returns the counts. */
  public TrafficStats run() throws InterruptedException {
    List<Scenario.FaultStep> pending = new ArrayList<>(scenario.faults());
    pending.sort(Comparator.comparing(Scenario.FaultStep::at));
    running.clear();
    Semaphore inFlight = new Semaphore(scenario.maxInFlight());
    long start = System.nanoTime();
    double credit = 0;
    long last = start;
    while (!stopped.get()) {
      long now = System.nanoTime();
      Duration elapsed = Duration.ofNanos(now - start);
      if (elapsed.compareTo(scenario.duration()) >= 0) {
        break;
      }
      while (!pending.isEmpty() && pending.get(0).at().compareTo(elapsed) <= 0) {
        Scenario.FaultStep step = pending.remove(0);
        try {
          running.add(new Running(step, faults.on(step), new Failures()));
          log.info("Fault on: {} {} {} for {}s", step.service(), step.kind(), step.params(),
              step.duration().toSeconds());
        } catch (IOException e) {
          log.error("Could not switch fault {} on {}: {}", step.kind(), step.service(), e.getMessage());
        }
      }
      for (Running r : List.copyOf(running)) {
        if (r.step.end().compareTo(elapsed) <= 0) {
          end(r);
          running.remove(r);
        }
      }
      credit += shape.rateAt(elapsed) * (now - last) / 1e9;
      last = now;
      while (credit >= 1) {
        credit -= 1;
        if (inFlight.tryAcquire()) {
          send(inFlight);
        } else {
          stats.skipped.increment();
        }
      }
      TimeUnit.NANOSECONDS.sleep(TICK.toNanos());
    }
    for (Running r : running) {
      end(r);
    }
    // Answers still on their way count too; bounded by the client's request timeout.
    inFlight.tryAcquire(scenario.maxInFlight(), 15, TimeUnit.SECONDS);
    return stats;
  }

  private void end(Running r) throws InterruptedException {
    try {
      Instant end = faults.off(r.step);
      labels.record(scenario.name(), r.step, r.start, end);
      recovered(r, end);
      log.info("Fault off: {} {}", r.step.service(), r.step.kind());
    } catch (IOException e) {
      // The service switches it off by itself shortly after; the label says when it was planned.
      Instant planned = r.start.plus(r.step.duration());
      labels.record(scenario.name(), r.step, r.start, planned);
      recovered(r, planned);
      log.error("Could not switch fault {} off on {}: {}", r.step.kind(), r.step.service(),
          e.getMessage());
    }
  }

  private void send(Semaphore inFlight) {
    HttpRequest request = nextRequest();
    stats.sent.increment();
    http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((r, error) -> {
      inFlight.release();
      if (error != null) {
        stats.failed.increment();
        failed();
      } else if (r.statusCode() < 400) {
        stats.ok.increment();
      } else if (r.statusCode() < 500) {
        stats.clientErrors.increment();
      } else {
        stats.serverErrors.increment();
        failed();
      }
    });
  }

  /** The next request the scenario's mix and seed call for. */
  HttpRequest nextRequest() {
    Map<String, Double> mix = scenario.traffic().mix();
    double total = mix.values().stream().mapToDouble(Double::doubleValue).sum();
    double pick = requests.nextDouble() * total;
    String kind = "browse";
    for (Map.Entry<String, Double> e : mix.entrySet()) {
      pick -= e.getValue();
      if (pick < 0) {
        kind = e.getKey();
        break;
      }
    }
    HttpRequest.Builder b = HttpRequest.newBuilder().timeout(Duration.ofSeconds(10));
    if (kind.equals("checkout")) {
      String item = ITEMS.get(requests.nextInt(ITEMS.size()));
      int qty = 1 + requests.nextInt(3);
      return b.uri(storefront.resolve("/api/checkout?item=" + item + "&qty=" + qty))
          .POST(HttpRequest.BodyPublishers.noBody()).build();
    }
    return b.uri(storefront.resolve("/api/products")).GET().build();
  }

  private void failed() {
    Instant now = Instant.now();
    for (Running r : running) {
      r.failures.add(now);
    }
  }

  private void recovered(Running r, Instant end) {
    RecoveryLog.Outcome o = r.failures.outcome(r.start, end);
    if (o.failures() > 0) {
      log.info("Fault {} on {}: {} failed requests, {} after {}s", r.step.kind(), r.step.service(),
          o.failures(), o.beforeFaultEnd() ? "recovered before the fault ended" : "recovered when"
              + " it was switched off", o.recoveredAfter().toMillis() / 1000.0);
    }
    if (recovery != null) {
      recovery.record(scenario.name(), r.step, r.start, end, o);
    }
  }

  /** The requests that failed while one fault was on; answers arrive on the client's threads. */
  private static final class Failures {
    private long count;
    private Instant first;
    private Instant last;

    synchronized void add(Instant at) {
      count++;
      if (first == null) {
        first = at;
      }
      last = at;
    }

    synchronized RecoveryLog.Outcome outcome(Instant start, Instant end) {
      return RecoveryLog.Outcome.of(start, end, count, first, last);
    }
  }

  private record Running(Scenario.FaultStep step, Instant start, Failures failures) {}
}
