package io.vigil.core.component;

import io.vigil.core.Consumer;
import io.vigil.core.Signal;

/** Sends data out of the gateway, one consumer per signal it was created for. */
public interface Exporter extends Component {

  <T extends com.google.protobuf.Message> Consumer<T> consumer(Signal<T> signal);
}
