package io.vigil.exporter.exporterhelper;

import com.google.protobuf.Message;
import io.vigil.core.Signal;
import java.util.List;

/**
 * An exporter that can give back what it holds unsent, so a component in front of several of
 * them (the loadbalancing exporter) re-sends it elsewhere when its destination goes away.
 */
public interface Withdrawable {

  /** See {@link QueuedRetryingSender#withdraw}; afterwards only shutdown is left to call. */
  <T extends Message> List<QueuedRetryingSender.Withdrawn<T>> withdraw(Signal<T> signal);
}
