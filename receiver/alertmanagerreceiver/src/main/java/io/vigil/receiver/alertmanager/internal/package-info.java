/** The webhook's HTTP server, payload parsing and alert-to-record mapping; not API. */
package io.vigil.receiver.alertmanager.internal;
