/**
 * The {@code resource} processor: the Collector's attribute actions on the resource of every
 * span, log record and metric batch (e.g. {@code deployment.environment}, {@code cloud.region}).
 */
package io.vigil.processor.resource;
