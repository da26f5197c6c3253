package io.vigil.demo.traffic;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Time to recovery as the shop's users saw it, one JSON line per fault when it ends: the
 * requests that failed (HTTP 5xx or no answer) while it was on, and when the last of them
 * did. A fault whose failures stopped at least {@link #QUIET} before it was switched off
 * counts as recovered then (by a remediation, or by itself); otherwise recovery is the switch-off.
 */
public final class RecoveryLog implements AutoCloseable {

  /** Failures must have stopped this long before the fault's end for an earlier recovery. */
  static final Duration QUIET = Duration.ofSeconds(10);

  /** One fault's failures. */
  record Outcome(long failures, Instant firstFailure, Instant lastFailure,
      Duration recoveredAfter, boolean beforeFaultEnd) {

    static Outcome of(Instant start, Instant end, long failures, Instant first, Instant last) {
      if (failures == 0) {
        return new Outcome(0, null, null, null, false);
      }
      boolean early = last.plus(QUIET).isBefore(end);
      return new Outcome(failures, first, last,
          Duration.between(start, early ? last : end), early);
    }
  }

  private final JsonLinesFile out;

  public RecoveryLog(Path file) throws IOException {
    this.out = new JsonLinesFile(file);
  }

  void record(String scenario, Scenario.FaultStep step, Instant start, Instant end,
      Outcome o) {
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("scenario", scenario);
    line.put("service", step.service());
    line.put("kind", step.kind());
    line.put("params", step.params());
    line.put("start", start.toString());
    line.put("end", end.toString());
    line.put("failed_requests", o.failures());
    line.put("first_failure", o.firstFailure() == null ? null : o.firstFailure().toString());
    line.put("last_failure", o.lastFailure() == null ? null : o.lastFailure().toString());
    line.put("recovered_after_s", o.recoveredAfter() == null ? null
        : o.recoveredAfter().toMillis() / 1000.0);
    line.put("recovered_before_fault_end", o.beforeFaultEnd());
    out.write(line);
  }

  @Override
  public void close() throws IOException {
    out.close();
  }
}
