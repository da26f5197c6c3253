/** Netty plumbing shared by the TCP and HTTP receivers. */
package io.vigil.receiver.netty;
