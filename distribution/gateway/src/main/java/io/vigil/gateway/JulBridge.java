package io.vigil.gateway;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes java.util.logging (grpc-java logs through it) into SLF4J, so it reaches the gateway's
 * log with the gateway's format and levels instead of JUL's two-line console output. Records
 * from {@code io.grpc} are rate-limited: an unreachable upstream makes grpc-java log the same
 * warning with a long stack trace every second or two, so each (logger, message) is passed on
 * once per {@link #WINDOW}, and the next one after the window says how many were suppressed.
 *
 * <p>Written here rather than taking jul-to-slf4j: the same few lines, plus the rate limit,
 * which that bridge does not have.
 */
final class JulBridge extends Handler {

  static final Duration WINDOW = Duration.ofMinutes(1);
  private static volatile boolean installed;

  private final java.util.logging.Formatter formatter = new java.util.logging.SimpleFormatter();
  private final Map<String, long[]> recent = new ConcurrentHashMap<>();

  /** Replaces the root JUL logger's handlers (the console one) with this bridge, once. */
  static synchronized void install() {
    if (installed) {
      return;
    }
    java.util.logging.Logger root = LogManager.getLogManager().getLogger("");
    for (Handler h : root.getHandlers()) {
      root.removeHandler(h);
    }
    root.addHandler(new JulBridge());
    installed = true;
  }

  @Override
  public void publish(LogRecord r) {
    if (r == null) {
      return;
    }
    String name = r.getLoggerName() == null ? "jul" : r.getLoggerName();
    Logger log = LoggerFactory.getLogger(name);
    int level = r.getLevel().intValue();
    if (!enabled(log, level)) {
      return;
    }
    String message = formatter.formatMessage(r);
    if (name.startsWith("io.grpc")) {
      long suppressed = admit(name + '|' + r.getMessage(), r.getMillis());
      if (suppressed < 0) {
        return;
      }
      if (suppressed > 0) {
        message = message + " (" + suppressed + " more like this in the last "
            + WINDOW.toMinutes() + "m were suppressed)";
      }
    }
    Throwable t = r.getThrown();
    if (level >= Level.SEVERE.intValue()) {
      log.error(message, t);
    } else if (level >= Level.WARNING.intValue()) {
      log.warn(message, t);
    } else if (level >= Level.INFO.intValue()) {
      log.info(message, t);
    } else if (level >= Level.FINE.intValue()) {
      log.debug(message, t);
    } else {
      log.trace(message, t);
    }
  }

  /** -1 to suppress; else how many were suppressed since this key last got through. */
  private long admit(String key, long now) {
    long[] state = recent.computeIfAbsent(key, k -> new long[] {Long.MIN_VALUE, 0});
    synchronized (state) {
      if (state[0] != Long.MIN_VALUE && now - state[0] < WINDOW.toMillis()) {
        state[1]++;
        return -1;
      }
      long suppressed = state[1];
      state[0] = now;
      state[1] = 0;
      return suppressed;
    }
  }

  private static boolean enabled(Logger log, int level) {
    if (level >= Level.SEVERE.intValue()) {
      return log.isErrorEnabled();
    } else if (level >= Level.WARNING.intValue()) {
      return log.isWarnEnabled();
    } else if (level >= Level.INFO.intValue()) {
      return log.isInfoEnabled();
    } else if (level >= Level.FINE.intValue()) {
      return log.isDebugEnabled();
    }
    return log.isTraceEnabled();
  }

  @Override
  public void flush() {}

  @Override
  public void close() {}
}
