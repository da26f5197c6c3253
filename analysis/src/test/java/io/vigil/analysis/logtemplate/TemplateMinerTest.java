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
    assertThat(b.template().text()).as("a run of variables is one").isEqualTo(
        "Connection from <*> port <*> at <*>");
  }

  @Test
  void fieldNamesStayConstantsAndTheirValuesAreMasked() {
    TemplateMiner m = miner(100);
    var a = m.add("acquire lock=233570404, flags=0x1, name=com.android.phone, uid=1001");
    var b = m.add("acquire lock=1, flags=0x10, name=org.example.app, uid=1000");
    assertThat(b.template()).isSameAs(a.template());
    assertThat(a.template().text())
        .isEqualTo("acquire lock=<*>, flags=<*>, name=<*>, uid=<*>");
    assertThat(m.add("release lock=233570404, flags=0x1, name=com.android.phone, uid=1001")
        .template()).as("another event with the same values").isNotSameAs(a.template());
  }

  @Test
  void aShortValueWithAUnitIsOneVariable() {
    TemplateMiner m = miner(100);
    LogTemplate t = m.add("host:80 close, 1190 bytes (1.16 KB) sent").template();
    for (int i = 0; i < MinerSettings.DEFAULTS.settleAfter(); i++) {
      assertThat(m.add("host:80 close, 1190 bytes (1.16 KB) sent").template()).isSameAs(t);
    }
    assertThat(m.add("host:443 close, 532 bytes (532 B) sent").template())
        .as("the unit word differs, even after the template settled").isSameAs(t);
    assertThat(t.text()).isEqualTo("host:<*> close, <*> bytes <*> sent");
  }

  @Test
  void aValueThatIsSometimesAbsentOrLongerKeepsTheEventsId() {
    TemplateMiner m = miner(100);
    var plain = m.add("proxy:5070 close, 0 bytes sent, 0 bytes received, lifetime 00:01");
    var longer = m.add(
        "proxy:5070 close, 451 bytes sent, 18846 bytes (18.4 KB) received, lifetime <1 sec");
    assertThat(longer.template().id()).isEqualTo(plain.template().id());
    assertThat(longer.template().length()).isNotEqualTo(plain.template().length());
    assertThat(longer.change()).as("a known event, not news").isEqualTo(
        TemplateMiner.Change.GENERALISED);
    assertThat(m.add("proxy:5070 close, 7 bytes (7 B) sent, 1 bytes received, lifetime <1 sec")
        .template().id()).isEqualTo(plain.template().id());
    assertThat(m.size()).isEqualTo(2);
  }

  @Test
  void theTemplatesOfOneEventRestoreUnderTheirSharedId() {
    TemplateMiner first = miner(100);
    long id = first.add("conn close, 0 bytes sent, lifetime 00:01").template().id();
    first.add("conn close, 403 bytes sent, lifetime <1 sec");
    assertThat(first.templates()).hasSize(2).allSatisfy(t -> assertThat(t.id()).isEqualTo(id));
    TemplateMiner second = miner(100);
    for (LogTemplate t : first.templates()) {
      second.restore(t.id(), t.tokens.clone(), t.count());
    }
    assertThat(second.add("conn close, 9 bytes sent, lifetime <1 sec").template().id())
        .isEqualTo(id);
    assertThat(second.add("conn close, 9 bytes sent, lifetime 00:09").template().id())
        .isEqualTo(id);
    assertThat(second.size()).isEqualTo(2);
  }

  @Test
  void extraWordsThatAreNotAValueStartAnotherEvent() {
    TemplateMiner m = miner(100);
    var a = m.add("Failed password for root from 10.0.0.1 port 22 ssh2");
    var b = m.add("Failed password for invalid user admin from 10.0.0.2 port 22 ssh2");
    assertThat(b.template().id()).isNotEqualTo(a.template().id());
    assertThat(b.change()).isEqualTo(TemplateMiner.Change.NEW);
  }

  @Test
  void eventsThatDifferInAVerbOrABooleanStaySeparateFromTheStart() {
    TemplateMiner m = miner(100);
    var paused = m.add("Job 17 paused by scheduler").template();
    var resumed = m.add("Job 18 resumed by scheduler").template();
    var started = m.add("Job 19 started by scheduler").template();
    assertThat(resumed).isNotSameAs(paused);
    assertThat(started).isNotSameAs(paused).isNotSameAs(resumed);
    assertThat(m.add("Job 20 paused by scheduler").template()).isSameAs(paused);
    var on = m.add("animateCollapsePanels flags=0, force=false, expanded=true").template();
    var off = m.add("animateCollapsePanels flags=0, force=false, expanded=false").template();
    assertThat(off).isNotSameAs(on);
  }

  @Test
  void singleTokenMessagesDoNotShareACatchAllTemplate() {
    TemplateMiner m = miner(100);
    var a = m.add("cancelNotification,index:0").template();
    var b = m.add("isBluetoothA2dpOn...").template();
    var c = m.add("r24=0x0ffea4c8 r25=0x00000003").template();
    var d = m.add("lr:00004ed0 cr:28244842").template();
    assertThat(java.util.Set.of(a, b, c, d)).hasSize(4);
    assertThat(m.add("cancelNotification,index:-1").template()).isSameAs(a);
    assertThat(m.add("r26=0x0000000f r27=0xffffd000").template()).isSameAs(c);
    assertThat(c.text()).isEqualTo("<*>=<*> <*>=<*>");
  }

  @Test
  void aQuotedStringWithSpacesIsOneToken() {
    TemplateMiner m = miner(100);
    var a = m.add("acquire tag=\"View Lock\", uid=10037").template();
    assertThat(a.length()).isEqualTo(3);
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

  /** Seeded random lines of punctuation, quotes, brackets, signs and words: never a crash. */
  @Test
  void punctuationHeavyRandomLinesNeverBreakTheTokenizer() {
    TemplateMiner m = miner(2_000);
    Random r = new Random(23);
    String alphabet = "ab Z9-+._/\"'()[]{}<>=:,;|*\t\u00e9\u4e2d0x";
    for (int i = 0; i < 5_000; i++) {
      StringBuilder line = new StringBuilder();
      int n = r.nextInt(60);
      for (int c = 0; c < n; c++) {
        line.append(alphabet.charAt(r.nextInt(alphabet.length())));
      }
      String message = line.toString();
      LogTemplate t = m.add(message).template();
      assertThat(t.length()).isLessThanOrEqualTo(MinerSettings.DEFAULTS.maxTokens());
      assertThat(m.match(message)).as("a line finds the template it just joined: %s", message)
          .isNotNull();
    }
  }

  private static String word(Random r) {
    char[] c = new char[3 + r.nextInt(8)];
    for (int i = 0; i < c.length; i++) {
      c[i] = (char) ('a' + r.nextInt(26));
    }
    return new String(c);
  }
}
