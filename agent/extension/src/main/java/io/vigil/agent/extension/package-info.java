/**
 * Vigil's extension to the OpenTelemetry Java agent: defaults that point the agent at the
 * node-local Vigil gateway, Kubernetes resource attributes, and ECS trace keys in the logback
 * MDC. Compiled for Java 8: it runs inside users' JVMs.
 */
package io.vigil.agent.extension;
