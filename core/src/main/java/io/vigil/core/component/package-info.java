/**
 * The component SPI: receivers, processors, exporters, connectors and extensions, each made by
 * a factory found with {@link java.util.ServiceLoader}.
 */
package io.vigil.core.component;
