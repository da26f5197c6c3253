package io.vigil.analysis.training;

import io.vigil.analysis.anomaly.ForestSettings;
import io.vigil.analysis.anomaly.IsolationForest;
import io.vigil.analysis.anomaly.NeighbourDetector;
import io.vigil.analysis.anomaly.NeighbourSettings;
import io.vigil.analysis.onnx.OnnxModel;
import io.vigil.analysis.anomaly.ShingleForestDetector;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost of scoring one metric point. {@code neighbourUpdate}: the default built-in detector
 * (three resolutions, 2,000 points of history, warmed up past its history so every search is
 * full length); {@code detectorUpdate}: the Isolation Forest detector, refits included (synchronous here, so their cost is amortised into the figure);
 * {@code javaForest}: one fitted forest's score of one 4-value row; {@code onnxBatch64}: the
 * same forest exported to ONNX, scored by onnxruntime 64 rows per call (the figure is per row).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class AnomalyScoringBenchmark {

  private ShingleForestDetector detector;
  private NeighbourDetector neighbours;
  private int nextNeighbour;
  private IsolationForest forest;
  private OnnxModel onnx;
  private double[][] rows;
  private float[][] batch;
  private double[] series;
  private int next;
  private long time;

  @Setup
  public void setUp() {
    Random r = new Random(1);
    series = new double[100_000];
    for (int i = 0; i < series.length; i++) {
      series[i] = 50 + 10 * Math.sin(2 * Math.PI * i / 288.0) + r.nextGaussian();
    }
    neighbours = new NeighbourDetector(new NeighbourSettings());
    for (int i = 0; i < 7000; i++) {
      neighbours.update(i, series[i]);
    }
    nextNeighbour = 7000;
    detector = new ShingleForestDetector(new ForestSettings());
    for (int i = 0; i < 3000; i++) {
      detector.update(i, series[i]);
    }
    rows = new double[2000][4];
    for (double[] row : rows) {
      for (int j = 0; j < 4; j++) {
        row[j] = r.nextGaussian();
      }
    }
    forest = IsolationForest.fit(rows, 50, 256, 1);
    onnx = OnnxModel.load(IsolationForestOnnx.write(forest, Map.of()), "benchmark");
    batch = new float[64][4];
    for (int i = 0; i < 64; i++) {
      for (int j = 0; j < 4; j++) {
        batch[i][j] = (float) rows[i][j];
      }
    }
  }

  @TearDown
  public void tearDown() {
    onnx.close();
  }

  @Benchmark
  public double neighbourUpdate() {
    int i = nextNeighbour;
    nextNeighbour = i + 1 == series.length ? 7000 : i + 1;
    return neighbours.update(i, series[i]);
  }

  @Benchmark
  public double detectorUpdate() {
    next = next + 1 == series.length ? 3000 : next + 1;
    return detector.update(time++, series[next]);
  }

  @Benchmark
  public double javaForest() {
    next = (next + 1) % rows.length;
    return forest.score(rows[next]);
  }

  @Benchmark
  @OperationsPerInvocation(64)
  public float[] onnxBatch64() {
    return onnx.score(batch);
  }
}
