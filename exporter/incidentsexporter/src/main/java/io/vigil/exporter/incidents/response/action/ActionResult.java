package io.vigil.exporter.incidents.response.action;

/** How an action went: {@code ok} or not, with what to write in the audit. */
public record ActionResult(boolean ok, String outcome) {}
