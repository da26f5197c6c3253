package io.vigil.exporter.featurerows;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.vigil.featurerows.FeatureRow;
import io.vigil.featurerows.FeatureRowBuilder;
import io.vigil.featurerows.FeatureRowsSettings;
import io.vigil.featurerows.FeatureSpec;
import io.vigil.testing.ServiceMetrics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Cost of one service's export (span metrics and heap gauges) through the row builder, with the
 * default features and with the heap-exhaustion set (defaults plus a {@code min_total} heap floor
 * and {@code change} features, which keep totals per time stamp and rows per service), and of
 * writing an hour of rows for 50 services (6,000 rows) to Parquet.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class FeatureRowsBenchmark {

  private static final long S = 1_000_000_000L;
  private static final int EXPORTS = 1000;
  private final List<ExportMetricsServiceRequest> exports = new ArrayList<>();
  private FeatureRowsSettings defaults;
  private FeatureRowsSettings heapSet;
  private FeatureRowBuilder builder;
  private FeatureRowBuilder heapBuilder;
  private List<FeatureRow> hour;
  private Path dir;
  private int next;
  private int nextHeap;

  @Setup
  public void setUp() throws IOException {
    defaults = new FeatureRowsSettings();
    heapSet = new FeatureRowsSettings();
    heapSet.features = new ArrayList<>(FeatureRowsSettings.defaultFeatures());
    heapSet.features.add(new FeatureSpec("heap_floor", "jvm.memory.used", "min_total")
        .where("jvm.memory.type", "heap"));
    heapSet.features.add(FeatureSpec.change("heap_floor_change_2m", "heap_floor",
        Duration.ofMinutes(2)));
    heapSet.features.add(FeatureSpec.change("heap_floor_change_5m", "heap_floor",
        Duration.ofMinutes(5)));
    heapSet.features.add(FeatureSpec.change("latency_p95_change_5m", "latency_p95",
        Duration.ofMinutes(5)));
    builder = new FeatureRowBuilder(defaults);
    heapBuilder = new FeatureRowBuilder(heapSet);
    ServiceMetrics m = new ServiceMetrics("orders", 0);
    for (int i = 1; i <= EXPORTS; i++) {
      exports.add(m.next(i * 10 * S, 100, i % 7, 20 + i % 50, 1e8 + i % 13 * 1e6));
    }
    hour = new ArrayList<>();
    for (int svc = 0; svc < 50; svc++) {
      for (int w = 0; w < 120; w++) {
        double[] v = new double[builder.names().size()];
        for (int k = 0; k < v.length; k++) {
          v[k] = k == 2 ? Double.NaN : svc * 0.1 + w + k;
        }
        hour.add(new FeatureRow("service-" + svc, w * 30 * S, (w + 1) * 30 * S, v));
      }
    }
    dir = Files.createTempDirectory("featurerows-bench");
  }

  @Benchmark
  public int addOneExport() {
    int i = next++ % EXPORTS;
    if (i == 0) {
      builder = new FeatureRowBuilder(defaults); // the exports' clock starts over
    }
    return addAndClose(builder, i);
  }

  @Benchmark
  public int addOneExportHeapExhaustionFeatures() {
    int i = nextHeap++ % EXPORTS;
    if (i == 0) {
      heapBuilder = new FeatureRowBuilder(heapSet);
    }
    return addAndClose(heapBuilder, i);
  }

  /** Rows are closed as the exporter's timer would at the export's time: one per 3 exports. */
  private int addAndClose(FeatureRowBuilder b, int i) {
    b.add(exports.get(i));
    return b.closeUntil((i + 1) * 10 * S).size();
  }

  @Benchmark
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public long writeAnHourOf50Services() throws IOException {
    Path f = dir.resolve("hour.parquet");
    Files.deleteIfExists(f);
    ParquetRowWriter.write(f, builder.names(), hour);
    return Files.size(f);
  }
}
