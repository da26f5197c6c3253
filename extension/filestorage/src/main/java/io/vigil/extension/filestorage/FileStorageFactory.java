package io.vigil.extension.filestorage;

import io.vigil.core.component.ComponentSettings;
import io.vigil.core.component.Extension;
import io.vigil.core.component.ExtensionFactory;

/** Makes {@code file_storage} extensions. */
public final class FileStorageFactory implements ExtensionFactory<FileStorageConfig> {

  @Override
  public String type() {
    return "file_storage";
  }

  @Override
  public FileStorageConfig createDefaultConfig() {
    return new FileStorageConfig();
  }

  @Override
  public void validate(FileStorageConfig config) {
    config.validate();
  }

  @Override
  public Extension create(ComponentSettings settings, FileStorageConfig config) {
    return new FileStorageExtension(settings, config);
  }
}
