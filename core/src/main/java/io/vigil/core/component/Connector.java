package io.vigil.core.component;

import io.vigil.core.Consumer;

/** The exporter side of a connector: takes batches of one signal, emits into other pipelines. */
public interface Connector<F> extends Component, Consumer<F> {}
