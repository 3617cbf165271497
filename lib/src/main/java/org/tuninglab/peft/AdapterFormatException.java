package org.tuninglab.peft;

import java.io.IOException;

/**
 * An adapter directory that exists but does not hold an adapter this library can load, or one made
 * for another base model; the message names the file, field or tensors and what was expected.
 */
public final class AdapterFormatException extends IOException {
  public AdapterFormatException(String message) {
    super(message);
  }
}
