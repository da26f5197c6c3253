/** The debug exporter: logs what it receives. */
package io.vigil.exporter.debug;
