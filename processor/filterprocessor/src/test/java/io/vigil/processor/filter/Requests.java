package io.vigil.processor.filter;

import com.google.protobuf.Message;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.vigil.core.Signal;
import io.vigil.core.component.ComponentId;
import io.vigil.core.component.ComponentKind;
import io.vigil.core.component.ComponentSettings;
import io.vigil.core.component.Processor;
import io.vigil.core.config.GatewayConfig;
import io.vigil.core.telemetry.GatewayTelemetry;
import io.vigil.testing.ConfigTestdata;
import io.vigil.testing.RecordingConsumer;

/** Builders of OTLP test data and a way to run one configured filter. */
final class Requests {
  // Loading a config finds every factory and compiles every condition: once per file is enough.
  private static final java.util.Map<String, GatewayConfig> LOADED = new java.util.concurrent.ConcurrentHashMap<>();

  private Requests() {}

  static KeyValue kv(String k, Object v) {
    AnyValue.Builder b = AnyValue.newBuilder();
    if (v instanceof String s) {
      b.setStringValue(s);
    } else if (v instanceof Boolean x) {
      b.setBoolValue(x);
    } else if (v instanceof Integer i) {
      b.setIntValue(i);
    } else {
      b.setDoubleValue(((Number) v).doubleValue());
    }
    return KeyValue.newBuilder().setKey(k).setValue(b).build();
  }

  static Resource resource(Object... kvs) {
    Resource.Builder r = Resource.newBuilder();
    for (int i = 0; i < kvs.length; i += 2) {
      r.addAttributes(kv((String) kvs[i], kvs[i + 1]));
    }
    return r.build();
  }

  /** A processor built from {@code testdata/FILE}'s {@code id}, its output recorded. */
  static final class Run<T extends Message> {
    final RecordingConsumer<T> out = new RecordingConsumer<>();
    final Processor<T> processor;
    final GatewayTelemetry telemetry = new GatewayTelemetry();

    Run(String file, String id, Signal<T> signal) {
      GatewayConfig c = LOADED.computeIfAbsent(file, ConfigTestdata::load);
      ComponentId cid = ComponentId.parse(id);
      FilterConfig cfg = (FilterConfig) c.component(ComponentKind.PROCESSOR, cid).config();
      processor = new FilterProcessorFactory()
          .create(new ComponentSettings(ComponentKind.PROCESSOR, cid, telemetry), cfg, signal, out);
    }

    long dropped() {
      return ((FilterProcessor<T>) processor).dropped();
    }
  }
}
