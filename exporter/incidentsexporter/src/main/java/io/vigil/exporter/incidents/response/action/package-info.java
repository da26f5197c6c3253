/**
 * What every response action is to the engine (rendered call, result, refusal) and the plain
 * placeholder template: a leaf package the action kinds depend on, so the engine depends on
 * them and not the other way round. Not API.
 */
package io.vigil.exporter.incidents.response.action;
