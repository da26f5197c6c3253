/** Loading and validating configs in the collector's YAML layout. */
package io.vigil.core.config;
