/** Servers, codecs and answer mapping of the OTLP receiver; not API. */
package io.vigil.receiver.otlp.internal;
