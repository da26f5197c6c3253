package io.vigil.gateway.deploy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A gateway container's memory as the JVM will see it: the container's limit, and the heap
 * that the flags in {@code JDK_JAVA_OPTIONS} give within it.
 */
record JvmMemory(long limitMib, long heapMib, List<String> flags) {

  private static final Pattern XMX = Pattern.compile("-Xmx(\\d+)([kKmMgG]?)");
  private static final Pattern RAM_PERCENTAGE =
      Pattern.compile("-XX:MaxRAMPercentage=(\\d+(?:\\.\\d+)?)");

  static JvmMemory of(Container c) {
    Quantity limit = c.getResources() == null || c.getResources().getLimits() == null
        ? null : c.getResources().getLimits().get("memory");
    if (limit == null) {
      throw new AssertionError(c.getName() + ": no memory limit; the JVM would size its heap"
          + " from the node's memory");
    }
    long limitMib = Quantity.getAmountInBytes(limit).divide(BigDecimal.valueOf(1 << 20))
        .longValue();
    String options = c.getEnv().stream().filter(e -> e.getName().equals("JDK_JAVA_OPTIONS"))
        .map(EnvVar::getValue).findFirst().orElseThrow(() -> new AssertionError(c.getName()
            + ": no JDK_JAVA_OPTIONS; the heap size must be set on purpose (-Xmx or"
            + " -XX:MaxRAMPercentage)"));
    List<String> flags = List.of(options.trim().split("\\s+"));
    long heap = -1;
    for (String flag : flags) {
      Matcher xmx = XMX.matcher(flag);
      if (xmx.matches()) {
        long n = Long.parseLong(xmx.group(1));
        heap = switch (xmx.group(2).toLowerCase(Locale.ROOT)) {
          case "g" -> n * 1024;
          case "m" -> n;
          case "k" -> n / 1024;
          default -> n >> 20;
        };
      }
    }
    if (heap < 0) {
      for (String flag : flags) {
        Matcher pct = RAM_PERCENTAGE.matcher(flag);
        if (pct.matches()) {
          heap = (long) (limitMib * Double.parseDouble(pct.group(1)) / 100);
        }
      }
    }
    if (heap < 0) {
      throw new AssertionError(c.getName() + ": JDK_JAVA_OPTIONS sets no heap size: " + options);
    }
    return new JvmMemory(limitMib, heap, flags);
  }
}
