package io.vigil.exporter.incidents.response.action;

/**
 * An action with its parameters rendered for one incident, fixed when the rule decided to act,
 * so what an approver approves is what runs.
 */
public interface ActionCall {

  /**
   * What the circuit breaker keys on: what fails together (a webhook's host, the Kubernetes API
   * server, a program), so a failing target fails for every rule that uses it.
   */
  String target();

  /** One line for the audit: the action and its object ({@code POST http://...}). */
  String describe();

  /** What a dry run shows it would send (a body, a patch, the arguments). */
  String detail();

  /** Does it; blocking, on an action thread. */
  ActionResult call() throws InterruptedException;
}
