package org.tuninglab.train;

import java.io.IOException;
import java.nio.file.Path;

/** A recipe config file with a missing, unknown or mistyped key; names the file and the key. */
public final class ConfigFormatException extends IOException {
  private static final long serialVersionUID = 1L;

  private final String key;

  /**
   * Creates the exception.
   *
   * @param file the config file
   * @param key the offending key
   * @param problem what is wrong and what was expected
   */
  public ConfigFormatException(Path file, String key, String problem) {
    super(file + ": key \"" + key + "\": " + problem);
    this.key = key;
  }

  public String key() {
    return key;
  }
}
