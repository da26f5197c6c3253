package io.vigil.processor.transform;

import com.google.protobuf.Message;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.vigil.core.Signal;
import io.vigil.core.component.ComponentId;
import io.vigil.core.component.ComponentKind;
import io.vigil.core.component.ComponentSettings;
import io.vigil.core.component.Processor;
import io.vigil.core.config.GatewayConfig;
import io.vigil.core.telemetry.GatewayTelemetry;
import io.vigil.testing.ConfigTestdata;
import io.vigil.testing.RecordingConsumer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** One configured transform processor from testdata, with its output recorded. */
final class Run<T extends Message> {
  private static final Map<String, GatewayConfig> LOADED = new ConcurrentHashMap<>();

  final RecordingConsumer<T> out = new RecordingConsumer<>();
  final Processor<T> processor;

  Run(String id, Signal<T> signal) {
    GatewayConfig c = LOADED.computeIfAbsent("collector-examples.yaml", ConfigTestdata::load);
    ComponentId cid = ComponentId.parse(id);
    TransformConfig cfg = (TransformConfig) c.component(ComponentKind.PROCESSOR, cid).config();
    processor = new TransformProcessorFactory()
        .create(new ComponentSettings(ComponentKind.PROCESSOR, cid, new GatewayTelemetry()), cfg, signal, out);
  }

  T apply(T in) {
    processor.consume(in).join();
    return out.batches().get(out.batches().size() - 1);
  }

  static KeyValue kv(String k, Object v) {
    AnyValue.Builder b = AnyValue.newBuilder();
    if (v instanceof String s) {
      b.setStringValue(s);
    } else if (v instanceof Boolean x) {
      b.setBoolValue(x);
    } else if (v instanceof Integer i) {
      b.setIntValue(i);
    } else if (v instanceof AnyValue a) {
      b.mergeFrom(a);
    } else {
      b.setDoubleValue(((Number) v).doubleValue());
    }
    return KeyValue.newBuilder().setKey(k).setValue(b).build();
  }

  static List<String> keys(List<KeyValue> kvs) {
    return kvs.stream().map(KeyValue::getKey).toList();
  }
}
