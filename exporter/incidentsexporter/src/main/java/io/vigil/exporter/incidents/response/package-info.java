/**
 * Automated response: rules matched against incidents, the webhook action they run, and the
 * guardrails around it (dry run, once-within throttle, per-target circuit breaker, concurrency
 * cap, approval), each decision audited on the incident's timeline. Not API.
 */
package io.vigil.exporter.incidents.response;
