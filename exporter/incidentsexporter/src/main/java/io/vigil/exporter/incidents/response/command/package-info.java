/**
 * The {@code command} response action: an allow-listed local program, no shell, arguments
 * templated one by one from incident fields, a timeout, the output kept for the audit. Not API.
 */
package io.vigil.exporter.incidents.response.command;
