/** The OTLP receiver: gRPC and HTTP servers feeding the pipelines. */
package io.vigil.receiver.otlp;
