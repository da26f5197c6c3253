package io.vigil.extension.bearertokenauth;

import io.vigil.core.component.ComponentSettings;
import io.vigil.core.component.Extension;
import io.vigil.core.component.ExtensionFactory;

/** Makes {@code bearertokenauth} extensions. */
public final class BearerTokenAuthFactory implements ExtensionFactory<BearerTokenAuthConfig> {

  @Override
  public String type() {
    return "bearertokenauth";
  }

  @Override
  public BearerTokenAuthConfig createDefaultConfig() {
    return new BearerTokenAuthConfig();
  }

  @Override
  public void validate(BearerTokenAuthConfig config) {
    config.validate();
  }

  @Override
  public Extension create(ComponentSettings settings, BearerTokenAuthConfig config) {
    return new BearerTokenAuthExtension(settings, config);
  }
}
