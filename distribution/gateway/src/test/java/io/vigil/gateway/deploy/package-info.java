/**
 * Tests of what {@code deploy/} ships: the Kubernetes manifests as {@code kubectl kustomize}
 * renders them, the compose file, and the container images; each checked against the gateway's
 * own config loader and against the other files it must agree with.
 */
package io.vigil.gateway.deploy;
