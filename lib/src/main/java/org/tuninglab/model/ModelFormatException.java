package org.tuninglab.model;

import java.io.IOException;

/** A model file that exists but does not hold what a supported model needs; the message says where. */
public final class ModelFormatException extends IOException {
  public ModelFormatException(String message) {
    super(message);
  }
}
