package io.vigil.processor.probabilisticsampler.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.util.HexFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The threshold arithmetic of OTel consistent sampling and the hash_seed randomness. */
class ThresholdAndRandomnessTest {

  @ParameterizedTest
  @CsvSource({
    // probability, precision, th (the README's 25 % example is "c", 50 % is "8")
    "0.25,      4, c",
    "0.5,       4, 8",
    "1.0,       4, 0",
    "0.1,       4, e666",
    "0.1,       1, e",
    "0.333333333333, 4, aaab",
    "0.01,      4, fd71",
    "0.001,     4, ffbe",
    "0.75,      2, 4",
    "0.9999,    4, 00068dc",
  })
  void probabilityToThresholdWithPrecision(double p, int precision, String th) {
    assertThat(Threshold.ofProbability(p, precision).tvalue()).isEqualTo(th);
  }

  @Test
  void tvaluesRoundTripAndSampleAsSpecified() {
    Threshold c = Threshold.parse("c");
    assertThat(c.unsigned()).isEqualTo(0xc0000000000000L);
    assertThat(c.probability()).isEqualTo(0.25);
    assertThat(c.shouldSample(0xc0000000000000L)).isTrue();
    assertThat(c.shouldSample(0xbfffffffffffffL)).isFalse();
    assertThat(Threshold.parse("C")).isNull();
    assertThat(Threshold.parse("123456789abcdef")).isNull();
    assertThat(Threshold.NEVER.shouldSample((1L << 56) - 1)).isFalse();
  }

  @Test
  void traceIdRandomnessIsItsLastSevenBytes() {
    ByteString id = ByteString.copyFrom(HexFormat.of().parseHex("0102030405060708099b8233f7e3a151"));
    assertThat(Randomness.ofTraceId(id)).isEqualTo(0x9b8233f7e3a151L);
  }

  @ParameterizedTest
  @CsvSource({
    // seed, FNV-1a over seed (LE) + trace ID, randomness (rv) — computed independently
    "0,          976b7c4f241a25",
    "22,         2ef3615663b443",
    "4294967295, 1978845e1ff9a1",
  })
  void hashSeedRandomnessMatchesTheCollectorsConstruction(long seed, String rv) {
    byte[] id = HexFormat.of().parseHex("0102030405060708090a0b0c0d0e0f10");
    assertThat(Randomness.rvalue(Randomness.ofHash(id, seed))).isEqualTo(rv);
  }
}
