package io.vigil.processor.attraction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.core.config.ConfigException;
import org.junit.jupiter.api.Test;

/** RE2 spellings the Collector's configs use, compiled by java.util.regex. */
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
  void lookaroundIsNotMistakenForAName() {
    Re2Pattern p = Re2Pattern.compile("a(?<=a)b", "k");
    assertThat(p.groupNames()).isEmpty();
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
        .hasMessageContaining("near position");
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
