package io.vigil.receiver.fluentforward.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The lock-out's counting, on a clock the test moves. */
class FailedHandshakesTest {

  private final AtomicLong now = new AtomicLong(1_000);
  private final FailedHandshakes f = new FailedHandshakes(3, Duration.ofSeconds(60),
      Duration.ofSeconds(300), now::get);

  private static InetAddress ip(String s) throws Exception {
    return InetAddress.getByName(s);
  }

  private void advance(Duration d) {
    now.addAndGet(d.toNanos());
  }

  @Test
  void locksAnAddressAtMaxFailuresWithinTheWindowForTheDuration() throws Exception {
    InetAddress a = ip("10.0.0.1");
    assertThat(f.failed(a)).isFalse();
    assertThat(f.failed(a)).isFalse();
    assertThat(f.locked(a)).isFalse();
    assertThat(f.failed(a)).as("the third locks, once").isTrue();
    assertThat(f.locked(a)).isTrue();
    assertThat(f.locked(ip("10.0.0.2"))).as("another address").isFalse();
    advance(Duration.ofSeconds(299));
    assertThat(f.locked(a)).isTrue();
    advance(Duration.ofSeconds(2));
    assertThat(f.locked(a)).isFalse();
    assertThat(f.failed(a)).as("counting starts afresh after a lock-out").isFalse();
  }

  @Test
  void failuresSpreadBeyondTheWindowDoNotLock() throws Exception {
    InetAddress a = ip("2001:db8::1");
    for (int i = 0; i < 10; i++) {
      assertThat(f.failed(a)).isFalse();
      advance(Duration.ofSeconds(31));
      assertThat(f.locked(a)).isFalse();
    }
  }

  @Test
  void aPassingHandshakeClearsTheCount() throws Exception {
    InetAddress a = ip("10.0.0.1");
    f.failed(a);
    f.failed(a);
    f.passed(a);
    assertThat(f.failed(a)).isFalse();
    assertThat(f.failed(a)).isFalse();
    assertThat(f.locked(a)).isFalse();
  }

  @Test
  void zeroMaxFailuresNeverLocks() throws Exception {
    FailedHandshakes off = new FailedHandshakes(0, Duration.ofSeconds(60),
        Duration.ofSeconds(300), now::get);
    InetAddress a = ip("10.0.0.1");
    for (int i = 0; i < 100; i++) {
      assertThat(off.failed(a)).isFalse();
    }
    assertThat(off.locked(a)).isFalse();
  }

  @Test
  void remembersAtMostABoundedNumberOfAddresses() throws Exception {
    for (int i = 0; i < FailedHandshakes.MAX_ADDRESSES + 500; i++) {
      f.failed(InetAddress.getByAddress(new byte[] {10, (byte) (i >> 16), (byte) (i >> 8),
          (byte) i}));
    }
    assertThat(f.remembered()).isEqualTo(FailedHandshakes.MAX_ADDRESSES);
  }
}
