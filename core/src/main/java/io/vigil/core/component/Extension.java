package io.vigil.core.component;

/** A component outside the data path, started before and stopped after all pipelines. */
public interface Extension extends Component {}
