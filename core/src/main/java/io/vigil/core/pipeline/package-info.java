/** Wiring components into pipelines, and their ordered start and drain. */
package io.vigil.core.pipeline;
