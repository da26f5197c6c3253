/**
 * Authenticators as the Collector's {@code extension/auth} defines them: extensions a receiver
 * asks whether a request may enter ({@link io.vigil.core.auth.ServerAuthenticator}) and an
 * exporter asks for the credentials to send ({@link io.vigil.core.auth.ClientAuthenticator}),
 * named from a component's {@code auth: {authenticator: ID}} ({@link io.vigil.core.auth.AuthSettings}).
 */
package io.vigil.core.auth;
