/**
 * The {@code attributes} processor: the Collector's attribute actions on spans, log records and
 * metric data points, optionally limited to items an {@code include}/{@code exclude} selects.
 */
package io.vigil.processor.attributes;
