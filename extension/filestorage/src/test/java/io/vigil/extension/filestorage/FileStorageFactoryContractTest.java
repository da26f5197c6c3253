package io.vigil.extension.filestorage;

import io.vigil.core.component.ComponentFactory;
import io.vigil.testing.ComponentFactoryContract;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

/** The file_storage extension keeps the component contract beside a pipeline. */
class FileStorageFactoryContractTest extends ComponentFactoryContract {

  @Override
  protected ComponentFactory<?> factory() {
    return new FileStorageFactory();
  }

  // Required: directory (there is no safe default place to keep a write-ahead log).
  @Override
  protected boolean defaultConfigValidates() {
    return false;
  }

  @Override
  protected String config(String backend) {
    try {
      return "{directory: \"" + Files.createTempDirectory("vigil-file-storage-contract") + "\"}";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
