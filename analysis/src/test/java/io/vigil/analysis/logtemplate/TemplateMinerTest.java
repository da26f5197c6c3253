package io.vigil.analysis.logtemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

class TemplateMinerTest {

  private static TemplateMiner miner(int maxTemplates) {
    return MinerSettings.DEFAULTS.withMaxTemplates(maxTemplates).newMiner();
  }

  @Test
  void variablesWithDigitsAndCalendarWordsShareATemplate() {
    TemplateMiner m = miner(100);
    var a = m.add("Connection from 10.0.0.1 port 5512 at Mon Jun 3 2024");
    var b = m.add("Connection from 192.168.1.20 port 80 at Fri Jul 19 2025");
    assertThat(b.template()).isSameAs(a.template());
    assertThat(a.change()).isEqualTo(TemplateMiner.Change.NEW);
    assertThat(b.change()).isEqualTo(TemplateMiner.Change.NONE);
    assertThat(b.template().text()).isEqualTo("Connection from <*> port <*> at <*> <*> <*> <*>");
  }

  @Test
  void aWordThatVariesEarlyBecomesAWildcard() {
    TemplateMiner m = miner(100);
    var a = m.add("Invalid user admin from host gateway");
    var b = m.add("Invalid user oracle from host gateway");
    assertThat(b.template()).isSameAs(a.template());
    assertThat(b.change()).isEqualTo(TemplateMiner.Change.GENERALISED);
    assertThat(b.template().text()).isEqualTo("Invalid user <*> from host gateway");
    assertThat(b.template().id()).as("the ID survives widening").isEqualTo(a.template().id());
  }

  @Test
  void differentEventsOfTheSameLengthStaySeparate() {
    TemplateMiner m = miner(100);
    var a = m.add("Starting TrustedInstaller initialization now");
    var b = m.add("Opening socket for replication peer");
    assertThat(b.template()).isNotSameAs(a.template());
  }

  @Test
  void aSettledTemplateDoesNotSwallowAOneWordDifference() {
    TemplateMiner m = miner(100);
    LogTemplate hub = null;
    for (int i = 0; i < MinerSettings.DEFAULTS.settleAfter(); i++) {
      hub = m.add("usbcore: registered new driver hub").template();
    }
    var usbfs = m.add("usbcore: registered new driver usbfs");
    assertThat(usbfs.template()).isNotSameAs(hub);
    assertThat(usbfs.change()).isEqualTo(TemplateMiner.Change.NEW);
    assertThat(hub.text()).isEqualTo("usbcore: registered new driver hub");
    assertThat(m.add("usbcore: registered new driver hub").template()).isSameAs(hub);
  }

  @Test
  void overLongMessagesEndInOneVariable() {
    TemplateMiner m = new TemplateMiner(2, 0.7, 100, 100, 5, 100);
    var t = m.add("a b c d e f g h").template();
    assertThat(t.text()).isEqualTo("a b c d <*>");
    assertThat(m.add("a b c d x y").template()).isSameAs(t);
  }

  @Test
  void emptyAndBlankMessagesHaveATemplateToo() {
    TemplateMiner m = miner(100);
    assertThat(m.add("").template()).isSameAs(m.add("   ").template());
  }

  /** Random unique lines: templates stay at the cap and the tree is pruned as they go. */
  @Test
  void memoryStaysBoundedUnderUniqueLines() {
    TemplateMiner m = miner(500);
    Random r = new Random(7);
    int maxNodes = 0;
    for (int i = 0; i < 50_000; i++) {
      StringBuilder line = new StringBuilder();
      int words = 1 + r.nextInt(12);
      for (int w = 0; w < words; w++) {
        line.append(word(r)).append(' ');
      }
      m.add(line.toString());
      maxNodes = Math.max(maxNodes, m.nodeCount());
    }
    assertThat(m.size()).isEqualTo(500);
    assertThat(m.evicted()).isGreaterThan(40_000);
    // Each template needs at most a length node and two prefix nodes of its own.
    assertThat(maxNodes).isLessThanOrEqualTo(1 + 3 * 500 + 12);
  }

  @Test
  void evictionTakesTheLeastRecentlyMatched() {
    TemplateMiner m = miner(2);
    var kept = m.add("alpha beta gamma").template();
    m.add("delta epsilon zeta eta");
    m.add("alpha beta gamma");
    m.add("one two three four five");
    assertThat(m.templates()).extracting(LogTemplate::text)
        .containsExactly("alpha beta gamma", "one two three four five");
    assertThat(m.match("alpha beta gamma")).isSameAs(kept);
    assertThat(m.match("delta epsilon zeta eta")).isNull();
  }

  @Test
  void restoredTemplatesKeepTheirIds() {
    TemplateMiner first = miner(100);
    var t = first.add("session for root opened from console").template();
    assertThat(first.add("session for root opened from terminal").template()).isSameAs(t);
    TemplateMiner second = miner(100);
    second.restore(t.id(), t.tokens.clone(), t.count());
    assertThat(second.add("session for root opened from network").template().id())
        .isEqualTo(t.id());
    assertThatThrownBy(() -> second.restore(t.id(), t.tokens, 1))
        .hasMessageContaining("duplicate template id " + t.idHex());
  }

  private static String word(Random r) {
    char[] c = new char[3 + r.nextInt(8)];
    for (int i = 0; i < c.length; i++) {
      c[i] = (char) ('a' + r.nextInt(26));
    }
    return new String(c);
  }
}
