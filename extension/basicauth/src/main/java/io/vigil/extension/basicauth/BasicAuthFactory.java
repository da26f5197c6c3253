package io.vigil.extension.basicauth;

import io.vigil.core.component.ComponentSettings;
import io.vigil.core.component.Extension;
import io.vigil.core.component.ExtensionFactory;

/** Makes {@code basicauth} extensions. */
public final class BasicAuthFactory implements ExtensionFactory<BasicAuthConfig> {

  @Override
  public String type() {
    return "basicauth";
  }

  @Override
  public BasicAuthConfig createDefaultConfig() {
    return new BasicAuthConfig();
  }

  @Override
  public void validate(BasicAuthConfig config) {
    config.validate();
  }

  @Override
  public Extension create(ComponentSettings settings, BasicAuthConfig config) {
    return new BasicAuthExtension(config);
  }
}
