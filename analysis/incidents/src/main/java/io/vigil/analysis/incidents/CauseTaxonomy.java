package io.vigil.analysis.incidents;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Maps the post-mortems' three-layer root-cause labels onto the seven {@link Cause} classes.
 * The table is the documentation (docs/evaluation.md repeats it with counts); rules are tried in
 * order and the first whose layer-2 and layer-3 match wins ({@code null} in a rule matches any
 * value). Labels the table does not name ("unknown", "others", a bare "internal causes") map to
 * nothing: they say no more than "we do not know".
 */
public final class CauseTaxonomy {

  private record Rule(String layer2, String layer3, Cause cause) {
    boolean matches(RootCauseLabel l) {
      return eq(layer2, l.layer2()) && (layer3 == null || eq(layer3, l.layer3()));
    }

    private static boolean eq(String rule, String value) {
      return value != null && rule.equalsIgnoreCase(value.strip());
    }
  }

  private static final List<Rule> RULES = List.of(
      new Rule("software bugs", "config", Cause.CONFIG),
      new Rule("software bugs", "code change", Cause.CODE_CHANGE),
      // A dependency conflict or changed API behaviour introduced by an update: a code change.
      new Rule("software bugs", "incompatibility", Cause.CODE_CHANGE),
      // "Payload flood": a bug that floods a component with work; what the on-call sees and does
      // is an overload (queues, throttling, shedding), so it is classed with overload.
      new Rule("software bugs", "payload flood", Cause.OVERLOAD),
      new Rule("software bugs", "network", Cause.NETWORK),
      new Rule("software bugs", null, Cause.OTHER_SOFTWARE_BUG),
      new Rule("software failures", null, Cause.OTHER_SOFTWARE_BUG),
      new Rule("hardware failures", "network", Cause.NETWORK),
      new Rule("hardware failures", "fiber cut", Cause.NETWORK),
      new Rule("hardware failures", null, Cause.HARDWARE),
      new Rule("excessive flow", null, Cause.OVERLOAD),
      new Rule("insufficient resource", null, Cause.OVERLOAD),
      new Rule("third-party failures", null, Cause.THIRD_PARTY),
      // Servers or components taken out of service by an operator's command or a migration:
      // an operational change, classed with configuration.
      new Rule("component removal", null, Cause.CONFIG),
      new Rule("network", null, Cause.NETWORK));

  private CauseTaxonomy() {}

  public static Optional<Cause> of(RootCauseLabel label) {
    return RULES.stream().filter(r -> r.matches(label)).map(Rule::cause).findFirst();
  }

  /** The first label that maps to a class: post-mortems list the principal cause first. */
  public static Optional<Cause> of(List<RootCauseLabel> labels) {
    return labels.stream().map(CauseTaxonomy::of).flatMap(Optional::stream)
        .filter(Objects::nonNull).findFirst();
  }
}
