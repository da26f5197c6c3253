/**
 * The Kubernetes response actions (rollout restart, scale, cordon) through the fabric8 client,
 * with names rendered from incident fields checked against Kubernetes' name rules. Not API.
 */
package io.vigil.exporter.incidents.response.kubernetes;
