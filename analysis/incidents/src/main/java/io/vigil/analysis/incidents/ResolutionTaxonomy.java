package io.vigil.analysis.incidents;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Normalises mitigation phrasings ("roll back the software deployment", "restore power", "add
 * capacity", 300 others) into {@link ResolutionCategory}s with keyword rules. Rules are tried in
 * order and the first match wins, so the more specific intent comes first: "roll back the
 * configuration change" is a roll-back, not a configuration change; "fix the misconfiguration"
 * is a configuration change, not a code fix. docs/evaluation.md lists the rules;
 * ResolutionTaxonomyTest measures the share of incidents left with only "other".
 */
public final class ResolutionTaxonomy {

  private static final Map<ResolutionCategory, Pattern> RULES = new LinkedHashMap<>();

  static {
    rule(ResolutionCategory.ROLL_BACK, "roll(ed|ing)?[ -]?back|revert|previous version|known-good"
        + "|restore configuration|(stop|stopped|pause|cancel|ceased)\\b.*\\b(rollout|deployment"
        + "|configuration change|migration|maintenance|updating)|further changes .* disabled");
    rule(ResolutionCategory.FAIL_OVER, "fail ?over|switch server|backup .* (activated|service)"
        + "|secondary");
    rule(ResolutionCategory.RESTORE_HARDWARE, "power|generator|fib(er|re)|hardware|replace"
        + "|electrical|cooling|physical|re-enable all links");
    rule(ResolutionCategory.CHANGE_CONFIGURATION, "config|quota|access control|filtering policy"
        + "|route advertisement|\\broute\\b|routing|threshold|dos protection|allow the additional"
        + "|expired keys|delegation|aad settings|synchronization delay|capacity limits"
        + "|traffic priority|erroneous classification|making the extension public");
    rule(ResolutionCategory.ADD_CAPACITY, "capacity|scal(e|ed|ing)[ -]?(out|up)|scaling adjustment"
        + "|increase|add additional|allocate resource|free (memory|up)|additional cpu"
        + "|cache footprint|recycle memory");
    rule(ResolutionCategory.SHED_OR_REDIRECT_LOAD, "redirect|re-?rout|divert|shift|balanc|reduc"
        + "|block|throttl|limit|remove load|pause request|return traffic|redistribut|offload"
        + "|cancel task|stop automation|downscale|traffic");
    rule(ResolutionCategory.ISOLATE_COMPONENT, "isolat|rotation|remov|withdr|disabl|bring down"
        + "|shutdown|decouple|separate");
    rule(ResolutionCategory.RESTART, "restart|reboot|reset|recycl|re-establish");
    rule(ResolutionCategory.FIX_AND_DEPLOY, "fix|patch|deploy|roll(ed)? out|update|commit|bug"
        + "|develop|change to agent|change to the backend");
    rule(ResolutionCategory.RECOVER_DATA_OR_SERVICE, "recover(ed|y)? (instances|storage|backend"
        + "|downst|the impacted|of)|manual(ly)? (recovery|intervention|backups)|restore(d)? "
        + "|backup|repair (data|service)|backlog|brought online|restored|migrate|process");
    rule(ResolutionCategory.WAIT_FOR_RECOVERY, "self[- ]?(heal|recover)|automatically"
        + "|no operation|3rd party|third[- ]party|provider");
  }

  private static void rule(ResolutionCategory category, String regex) {
    RULES.put(category, Pattern.compile(regex));
  }

  private ResolutionTaxonomy() {}

  /** The category of one mitigation phrase; {@link ResolutionCategory#OTHER} when none fits. */
  public static ResolutionCategory of(String phrase) {
    String p = phrase.toLowerCase(Locale.ROOT);
    for (var rule : RULES.entrySet()) {
      if (rule.getValue().matcher(p).find()) {
        return rule.getKey();
      }
    }
    return ResolutionCategory.OTHER;
  }

  /**
   * The categories of an incident's mitigations, without "other": it is not advice, so it is
   * neither recommended nor counted as a correct answer. Empty when nothing fits.
   */
  public static Set<ResolutionCategory> of(List<String> phrases) {
    Set<ResolutionCategory> out = EnumSet.noneOf(ResolutionCategory.class);
    for (String phrase : phrases) {
      ResolutionCategory c = of(phrase);
      if (c != ResolutionCategory.OTHER) {
        out.add(c);
      }
    }
    return out;
  }
}
