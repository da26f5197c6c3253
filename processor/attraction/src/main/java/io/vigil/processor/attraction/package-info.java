/**
 * Attribute actions (the Collector's {@code attraction}): the action list the {@code attributes}
 * and {@code resource} processors share, compiled once from config and applied to an attribute
 * list without copying it when nothing changes.
 */
package io.vigil.processor.attraction;
