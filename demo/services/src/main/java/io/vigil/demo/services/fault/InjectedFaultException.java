package io.vigil.demo.services.fault;

/** A failure the demo was told to produce; answered with HTTP 500. */
public class InjectedFaultException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public InjectedFaultException(String message) {
    super(message);
  }
}
