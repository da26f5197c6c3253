package io.vigil.exporter.vigilstore;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.vigil.testing.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store on disk: hourly indexes, reopening after a restart, retention by age and size. */
class TelemetryStoreTest {

  @TempDir
  Path directory;

  /** A clock the test moves. */
  static final class MovableClock extends Clock {
    final AtomicReference<Instant> now;

    MovableClock(Instant start) {
      now = new AtomicReference<>(start);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now.get();
    }
  }

  /** {@code n} one-span traces starting at {@code start}, a second apart. */
  static ExportTraceServiceRequest spansAt(Instant start, int n, String service) {
    ScopeSpans.Builder scope = ScopeSpans.newBuilder();
    for (int i = 0; i < n; i++) {
      long t = TimeRange.nanos(start) + i * 1_000_000_000L;
      scope.addSpans(Span.newBuilder().setTraceId(TestData.randomId(16))
          .setSpanId(TestData.randomId(8)).setName("GET /").setKind(Span.SpanKind.SPAN_KIND_SERVER)
          .setStartTimeUnixNano(t).setEndTimeUnixNano(t + 1_000_000)
          .addAttributes(TestData.str("padding", "x".repeat(200 + i % 7))));
    }
    return ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
        .setResource(TestData.resource(service)).addScopeSpans(scope)).build();
  }

  @Test
  void writesEachItemIntoTheIndexOfItsHour() throws IOException {
    Instant t = Instant.parse("2026-11-27T10:59:59Z");
    try (TelemetryStore store = new TelemetryStore(directory, Duration.ofHours(24), 0,
        Clock.fixed(t, ZoneOffset.UTC))) {
      store.addSpans(spansAt(t, 2, "shop"));
      assertThat(store.hours()).containsExactly("2026112710", "2026112711");
    }
    assertThat(directory.resolve("2026112710")).isDirectory();
  }

  @Test
  void keepsWhatWasWrittenAcrossARestart() throws IOException {
    Instant t = Instant.parse("2026-11-27T10:00:00Z");
    Clock clock = Clock.fixed(t.plusSeconds(60), ZoneOffset.UTC);
    try (TelemetryStore store = new TelemetryStore(directory, Duration.ofHours(24), 0, clock)) {
      store.addSpans(spansAt(t, 30, "shop"));
      store.addLogs(ShopTraffic.logs());
    }
    try (TelemetryStore reopened = new TelemetryStore(directory, Duration.ofHours(24), 0, clock)) {
      assertThat(reopened.query().services(new TimeRange(TimeRange.nanos(t),
          TimeRange.nanos(t.plusSeconds(60))))).singleElement()
          .satisfies(s -> assertThat(s.requests()).isEqualTo(30));
      assertThat(reopened.query().logs(LogSearch.in(TelemetryQueryContract.wide(), 100)))
          .hasSize(23);
      // and it keeps writing into the hour it reopened
      reopened.addSpans(spansAt(t.plusSeconds(30), 1, "shop"));
      assertThat(reopened.query().services(new TimeRange(TimeRange.nanos(t),
          TimeRange.nanos(t.plusSeconds(60))))).singleElement()
          .satisfies(s -> assertThat(s.requests()).isEqualTo(31));
    }
  }

  @Test
  void deletesHoursOlderThanRetentionAndDropsItemsAlreadyTooOld() throws IOException {
    Instant t0 = Instant.parse("2026-11-27T10:30:00Z");
    MovableClock clock = new MovableClock(t0);
    try (TelemetryStore store = new TelemetryStore(directory, Duration.ofHours(2), 0, clock)) {
      store.addSpans(spansAt(t0, 3, "shop"));
      store.addSpans(spansAt(t0.plus(Duration.ofHours(1)), 3, "shop"));
      clock.now.set(t0.plus(Duration.ofHours(2)));
      assertThat(store.enforceRetention()).isEmpty();
      clock.now.set(t0.plus(Duration.ofHours(3)));
      assertThat(store.enforceRetention()).containsExactly("2026112710");
      assertThat(store.hours()).containsExactly("2026112711");
      assertThat(directory.resolve("2026112710")).doesNotExist();
      // an item of the deleted hour arriving late is not stored again
      assertThat(store.addSpans(spansAt(t0, 2, "shop"))).isEqualTo(2);
      assertThat(store.hours()).containsExactly("2026112711");
    }
  }

  @Test
  void deletesOldestHoursWhenOverTheDiskBudgetButKeepsTheNewest() throws IOException {
    Instant t0 = Instant.parse("2026-11-27T10:00:00Z");
    MovableClock clock = new MovableClock(t0.plus(Duration.ofHours(4)));
    long oneHour;
    try (TelemetryStore probe = new TelemetryStore(directory.resolve("probe"),
        Duration.ofHours(24), 0, clock)) {
      probe.addSpans(spansAt(t0, 500, "shop"));
      probe.commit();
      oneHour = probe.diskBytes();
    }
    try (TelemetryStore store = new TelemetryStore(directory.resolve("store"),
        Duration.ofHours(24), oneHour * 5 / 2, clock)) {
      for (int h = 0; h < 4; h++) {
        store.addSpans(spansAt(t0.plus(Duration.ofHours(h)), 500, "shop"));
      }
      assertThat(store.enforceRetention()).containsExactly("2026112710", "2026112711");
      assertThat(store.hours()).containsExactly("2026112712", "2026112713");
      assertThat(store.diskBytes()).isLessThanOrEqualTo(oneHour * 5 / 2);
    }
    try (TelemetryStore tiny = new TelemetryStore(directory.resolve("store"),
        Duration.ofHours(24), 1, clock)) {
      tiny.enforceRetention();
      assertThat(tiny.hours()).containsExactly("2026112713");
    }
  }

  @Test
  void leavesDirectoriesThatAreNotHoursAlone() throws IOException {
    Files.createDirectories(directory.resolve("lost+found"));
    try (TelemetryStore store = new TelemetryStore(directory, Duration.ofHours(1), 0,
        Clock.systemUTC())) {
      store.enforceRetention();
      assertThat(store.hours()).isEmpty();
    }
    assertThat(directory.resolve("lost+found")).isDirectory();
  }
}
