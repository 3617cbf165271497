package org.tuninglab.prompt;

/** A prompt template that cannot be parsed, or variables that cannot fill it. */
public class PromptTemplateException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what is wrong, naming the position or variable
   */
  public PromptTemplateException(String message) {
    super(message);
  }
}
