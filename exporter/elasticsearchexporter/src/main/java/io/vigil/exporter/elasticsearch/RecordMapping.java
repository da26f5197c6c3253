package io.vigil.exporter.elasticsearch;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.Span;

/** Turns one OTLP record, with its resource and scope, into the JSON source of a document. */
interface RecordMapping {

  ObjectNode log(Resource resource, InstrumentationScope scope, LogRecord record);

  ObjectNode span(Resource resource, InstrumentationScope scope, Span span);

  /** The mappings resource (classpath JSON) of the index templates for this mode. */
  String mappingsResource();

  static RecordMapping forMode(String mode) {
    return mode.equals("otel") ? new OtelMapping() : new EcsMapping();
  }
}
