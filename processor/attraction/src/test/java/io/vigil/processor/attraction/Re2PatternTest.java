package io.vigil.processor.attraction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.vigil.core.config.ConfigException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** RE2 spellings the Collector's configs use, compiled by RE2/J as Go's regexp would. */
class Re2PatternTest {

  @Test
  void namedGroupsWithUnderscoresKeepTheirNames() {
    Re2Pattern p = Re2Pattern.compile("(?P<user_id>\\d+)-(?<order_2>\\w+)", "k");
    assertThat(p.groupNames()).containsExactly("user_id", "order_2");
    assertThat(p.firstMatchGroups("id 42-abc")).containsExactly("42", "abc");
    assertThat(p.allGroupsNamed()).isTrue();
  }

  @Test
  void groupSyntaxInsideClassesAndEscapesIsLeftAlone() {
    Re2Pattern p = Re2Pattern.compile("[(?P<x>]\\(?P<y>(?P<z>q)", "k");
    assertThat(p.groupNames()).containsExactly("z");
    assertThat(p.find("P(P<y>q")).isTrue();
  }

  @Test
  void lookaroundIsNotMistakenForANameAndIsRefusedAsGoRefusesIt() {
    assertThatThrownBy(() -> Re2Pattern.compile("a(?<=a)b", "actions::0::pattern"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("actions::0::pattern: invalid regular expression \"a(?<=a)b\"");
  }

  @Test
  void backReferencesAreRefusedWithTheKeyPath() {
    assertThatThrownBy(() -> Re2Pattern.compile("(a)\\1", "include::attributes::0::value"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("include::attributes::0::value: invalid regular expression")
        .hasMessageContaining("no look-around or back-references");
  }

  @Test
  void aBacktrackingBombRunsInLinearTime() {
    Re2Pattern p = Re2Pattern.compile("(a+)+$", "k");
    String text = "a".repeat(100_000) + "!";
    assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThat(p.find(text)).isFalse());
  }

  @Test
  void goSyntaxTheCollectorsConfigsUseStillMatches() {
    assertThat(Re2Pattern.compile("^/api/v[0-9]+/(users|orders)/\\d+$", "k")
        .find("/api/v2/orders/17")).isTrue();
    assertThat(Re2Pattern.compile("(?i)^SECRET", "k").find("secret.key")).isTrue();
    assertThat(Re2Pattern.compile("\\bpassword\\b", "k").find("db password here")).isTrue();
    assertThat(Re2Pattern.compile("[[:digit:]]{3}", "k").find("ab123")).isTrue();
  }

  @Test
  void matchingIsUnanchoredAsInGo() {
    assertThat(Re2Pattern.compile("ecret", "k").find("secret.key")).isTrue();
    assertThat(Re2Pattern.compile("^ecret", "k").find("secret.key")).isFalse();
  }

  @Test
  void aGroupThatDidNotTakePartIsEmpty() {
    Re2Pattern p = Re2Pattern.compile("(?P<a>x)?(?P<b>y)", "k");
    assertThat(p.firstMatchGroups("y")).containsExactly("", "y");
    assertThat(p.firstMatchGroups("zzz")).isNull();
  }

  @Test
  void invalidPatternNamesKeyAndPosition() {
    assertThatThrownBy(() -> Re2Pattern.compile("ab(c", "actions::3::pattern"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("actions::3::pattern: invalid regular expression \"ab(c\"")
        .hasMessageContaining("missing closing )");
  }

  @Test
  void replaceAllExpandsGroupsTheWayGoDoes() {
    Re2Pattern p = Re2Pattern.compile("(?P<user_id>\\d+)-(\\w+)", "k");
    assertThat(p.replaceAll("a 42-abc b 7-x", "<$2:${user_id}>")).isEqualTo("a <abc:42> b <x:7>");
    // $$ is a dollar; $1x names a group "1x", which does not exist, so it expands to nothing.
    assertThat(p.replaceAll("42-abc", "$$1 $1x ${1}x")).isEqualTo("$1  42x");
    assertThat(p.replaceAll("no digits", "X")).isEqualTo("no digits");
  }
}
