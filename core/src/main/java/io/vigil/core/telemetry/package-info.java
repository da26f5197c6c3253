/** The gateway's own metrics. */
package io.vigil.core.telemetry;
