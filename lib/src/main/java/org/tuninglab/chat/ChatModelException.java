package org.tuninglab.chat;

/** A chat model could not answer: the endpoint is unreachable or refused, or the model failed. */
public class ChatModelException extends RuntimeException {

  public ChatModelException(String message) {
    super(message);
  }

  public ChatModelException(String message, Throwable cause) {
    super(message, cause);
  }
}
