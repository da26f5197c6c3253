package io.vigil.analysis.training;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.ByteString;
import java.util.List;
import java.util.Map;

/** The ONNX protobuf pieces the model writers share. */
final class OnnxProtos {

  private OnnxProtos() {}

  static AttributeProto ints(String name, List<Long> v) {
    return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS)
        .addAllInts(v).build();
  }

  static AttributeProto floats(String name, List<Float> v) {
    return AttributeProto.newBuilder().setName(name)
        .setType(AttributeProto.AttributeType.FLOATS).addAllFloats(v).build();
  }

  static AttributeProto strings(String name, List<String> v) {
    return AttributeProto.newBuilder().setName(name)
        .setType(AttributeProto.AttributeType.STRINGS)
        .addAllStrings(v.stream().map(ByteString::copyFromUtf8).toList()).build();
  }

  static AttributeProto string(String name, String v) {
    return AttributeProto.newBuilder().setName(name)
        .setType(AttributeProto.AttributeType.STRING).setS(ByteString.copyFromUtf8(v)).build();
  }

  static AttributeProto integer(String name, long v) {
    return AttributeProto.newBuilder().setName(name)
        .setType(AttributeProto.AttributeType.INT).setI(v).build();
  }

  /** A float tensor [batch, width]. */
  static ValueInfoProto floatTensor(String name, int width) {
    return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder()
        .setTensorType(TypeProto.Tensor.newBuilder()
            .setElemType(TensorProto.DataType.FLOAT.getNumber())
            .setShape(TensorShapeProto.newBuilder()
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("batch"))
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(width)))))
        .build();
  }

  /** A model over opset 17 and {@code ai.onnx.ml} 3, which onnxruntime 1.29 runs. */
  static byte[] model(GraphProto graph, String doc, Map<String, String> metadata) {
    ModelProto.Builder model = ModelProto.newBuilder()
        .setIrVersion(8)
        .setProducerName("vigil")
        .setProducerVersion("0.1")
        .setDomain("io.vigil")
        .setModelVersion(1)
        .setDocString(doc)
        .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(17))
        .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("ai.onnx.ml").setVersion(3))
        .setGraph(graph);
    metadata.forEach((k, v) -> model.addMetadataProps(
        StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
    return model.build().toByteArray();
  }
}
