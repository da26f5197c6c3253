package io.vigil.core.component;

import io.vigil.core.Consumer;

/**
 * A pipeline stage between receivers and exporters. A processor that changes data builds a new
 * message (protobuf messages are immutable), so it never alters a batch another pipeline sees.
 */
public interface Processor<T> extends Component, Consumer<T> {}
