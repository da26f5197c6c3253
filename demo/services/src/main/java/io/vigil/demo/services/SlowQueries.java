package io.vigil.demo.services;

/**
 * A function the embedded database calls inside each query ({@code SLEEP_MS(?) = 0}), so a
 * {@code slow_query} fault makes the query itself slow, as a missing index would, and the JDBC
 * span shows it.
 */
public final class SlowQueries {

  private SlowQueries() {}

  /** Registered in the database as SLEEP_MS. */
  public static int sleepMs(int millis) throws InterruptedException {
    if (millis > 0) {
      Thread.sleep(millis);
    }
    return 0;
  }
}
