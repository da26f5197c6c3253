package io.vigil.receiver.fluentforward;

import com.google.protobuf.Message;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.vigil.core.Signal;
import io.vigil.core.component.ComponentFactory;
import io.vigil.testing.ComponentFactoryContract;
import io.vigil.testing.FreePort;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.Value;

/**
 * The fluentforward receiver keeps the component contract. Batches go over the forward
 * protocol in Forward mode with a {@code chunk} option, so the receiver answers with an ack
 * once the pipeline took them; an empty batch is a Forward message with no entries.
 */
class FluentForwardReceiverFactoryContractTest extends ComponentFactoryContract {

  private final int port = FreePort.pick();

  @Override
  protected ComponentFactory<?> factory() {
    return new FluentForwardReceiverFactory();
  }

  @Override
  protected String config(String backend) {
    return "{endpoint: \"127.0.0.1:" + port + "\"}";
  }

  @Override
  protected CompletableFuture<?> sendToReceiver(Signal<?> signal, Message batch) {
    int records = Signal.LOGS.itemCount((ExportLogsServiceRequest) batch);
    String chunk = UUID.randomUUID().toString();
    CompletableFuture<Void> answered = new CompletableFuture<>();
    Thread t = new Thread(() -> {
      try (Socket s = new Socket("127.0.0.1", port);
          MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
        p.packArrayHeader(3).packString("contract.test").packArrayHeader(records);
        for (int i = 0; i < records; i++) {
          p.packArrayHeader(2).packLong(System.currentTimeMillis() / 1000)
              .packMapHeader(1).packString("log").packString("record " + i);
        }
        p.packMapHeader(1).packString("chunk").packString(chunk);
        s.getOutputStream().write(p.toByteArray());
        s.getOutputStream().flush();
        InputStream in = s.getInputStream();
        try (MessageUnpacker u = MessagePack.newDefaultUnpacker(in)) {
          Value ack = u.unpackValue();
          if (!ack.toString().contains(chunk)) {
            throw new IllegalStateException("unexpected answer " + ack);
          }
        }
        answered.complete(null);
      } catch (IOException e) {
        answered.completeExceptionally(new UncheckedIOException(e));
      } catch (RuntimeException e) {
        answered.completeExceptionally(e);
      }
    }, "contract-forward-client");
    t.setDaemon(true);
    t.start();
    return answered;
  }
}
