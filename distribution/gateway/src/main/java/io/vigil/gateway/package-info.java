/** The runnable gateway: command line, admin server (health and self-metrics), lifecycle. */
package io.vigil.gateway;
