package io.vigil.core.component;

/** Takes data from outside (a network port, a file) and pushes it into pipelines. */
public interface Receiver extends Component {}
