package io.vigil.processor.attributes.internal;

/**
 * Applies the actions to every selected item of one signal's request. Returns the request itself
 * when nothing changed, so the original message (and the bytes a receiver kept for it) travels
 * on; otherwise a new request with only the changed items rebuilt.
 */
public interface RequestRewriter<T> {
  T rewrite(T request);

  /**
   * Whether {@code out}, what the actions made of {@code in}, differs from it. Several actions
   * can change a value and change it back, which yields a new but equal list: that is no change,
   * so the request can still go on as it came.
   */
  static <E> boolean changed(java.util.List<E> out, java.util.List<E> in) {
    return out != in && !out.equals(in);
  }
}
