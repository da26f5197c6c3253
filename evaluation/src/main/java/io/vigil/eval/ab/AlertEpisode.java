package io.vigil.eval.ab;

import java.time.Instant;

/**
 * One alert as an on-call person gets it: a threshold rule's firing episode (from when it began
 * firing until it stopped) or one Vigil incident (from when the gateway opened it).
 *
 * @param rule the alert rule's name, or the incident's ID
 * @param service the service it names
 * @param firedAt when it paged: the first evaluation at which the rule fired (after its
 *     {@code for}), or when the incident opened (gateway clock)
 */
public record AlertEpisode(String rule, String service, Instant firedAt) {}
