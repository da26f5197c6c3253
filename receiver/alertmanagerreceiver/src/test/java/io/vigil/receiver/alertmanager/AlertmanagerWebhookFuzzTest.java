package io.vigil.receiver.alertmanager;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.testing.ConfigTestdata;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Mutates a valid webhook payload (bit flips, truncation, splices, inserted bytes) and checks
 * every body gets a 200 or a 4xx with a message, never a 5xx, a hang or a dead server. The seed
 * is fixed and printed with any failure, so a failure replays.
 */
class AlertmanagerWebhookFuzzTest {

  private static final long SEED = 0xa1e7_0004L;
  private static final int ROUNDS = 400;
  private final WebhookHarness h = new WebhookHarness("");

  @AfterEach
  void close() {
    h.close();
  }

  static byte[] mutate(byte[] in, Random r) {
    byte[] b = in.clone();
    switch (r.nextInt(4)) {
      case 0:
        for (int i = 0, n = 1 + r.nextInt(8); i < n; i++) {
          b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8));
        }
        return b;
      case 1:
        return Arrays.copyOf(b, r.nextInt(b.length + 1));
      case 2: {
        int from = r.nextInt(b.length);
        int to = r.nextInt(b.length);
        int len = r.nextInt(Math.max(1, b.length - Math.max(from, to)));
        System.arraycopy(in, from, b, to, len);
        return b;
      }
      default: {
        int at = r.nextInt(b.length + 1);
        byte[] junk = new byte[1 + r.nextInt(16)];
        r.nextBytes(junk);
        byte[] out = new byte[b.length + junk.length];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(junk, 0, out, at, junk.length);
        System.arraycopy(b, at, out, at + junk.length, b.length - at);
        return out;
      }
    }
  }

  @Test
  void mutatedPayloadsNeverBreakTheServer() throws Exception {
    byte[] valid = ConfigTestdata.yaml("firing.json").getBytes(StandardCharsets.UTF_8);
    Random r = new Random(SEED);
    int ok = 0;
    int refused = 0;
    for (int i = 0; i < ROUNDS; i++) {
      byte[] body = mutate(valid, r);
      HttpResponse<String> resp = h.post(body, null);
      String what = "seed " + SEED + " round " + i + ": " + new String(body,
          StandardCharsets.UTF_8);
      assertThat(resp.statusCode()).as(what).isIn(200, 400);
      if (resp.statusCode() == 400) {
        assertThat(resp.body()).as(what).contains("\"message\":");
        refused++;
      } else {
        ok++;
      }
    }
    // Both outcomes happen, or the mutations are too tame (or too wild) to test anything.
    assertThat(ok).isPositive();
    assertThat(refused).isPositive();
    assertThat(h.post(valid, null).statusCode()).as("still serving").isEqualTo(200);
  }
}
