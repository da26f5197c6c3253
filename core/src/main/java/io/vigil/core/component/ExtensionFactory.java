package io.vigil.core.component;

/** Creates extensions: components outside the data path, e.g. health checks or storage. */
public interface ExtensionFactory<C> extends ComponentFactory<C> {

  Extension create(ComponentSettings settings, C config);
}
