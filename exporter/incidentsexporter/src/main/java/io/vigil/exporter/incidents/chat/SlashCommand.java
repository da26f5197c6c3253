package io.vigil.exporter.incidents.chat;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A slash command as Slack and Mattermost post it ({@code application/x-www-form-urlencoded}):
 * the command ({@code /vigil}), the text after it, and who sent it.
 */
record SlashCommand(String command, String text, String userName, String token,
    String responseUrl) {

  static SlashCommand parse(String body) {
    Map<String, String> f = form(body);
    return new SlashCommand(f.getOrDefault("command", ""), f.getOrDefault("text", ""),
        f.getOrDefault("user_name", ""), f.getOrDefault("token", ""),
        f.getOrDefault("response_url", ""));
  }

  private static Map<String, String> form(String body) {
    Map<String, String> out = new LinkedHashMap<>();
    if (body.isEmpty()) {
      return out;
    }
    for (String pair : body.split("&")) {
      int eq = pair.indexOf('=');
      try {
        String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq),
            StandardCharsets.UTF_8);
        String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1),
            StandardCharsets.UTF_8);
        out.putIfAbsent(k, v);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("the form body has a malformed %-escape");
      }
    }
    return out;
  }
}
