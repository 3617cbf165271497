package org.tuninglab.kernel;

/** Rethrows any exception without declaring it (the compiler erases {@code E}). */
final class UncheckedThrow {

  private UncheckedThrow() {}

  @SuppressWarnings("unchecked")
  static <E extends Throwable> E rethrow(Throwable thrown) throws E {
    throw (E) thrown;
  }
}
