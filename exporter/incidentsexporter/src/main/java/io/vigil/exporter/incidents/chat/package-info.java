/**
 * The chat interface to incidents: Slack- and Mattermost-compatible slash commands with request
 * verification, exact commands, and free text read by an intent model that answers look-ups and
 * never changes anything on a guess. Not API.
 */
package io.vigil.exporter.incidents.chat;
