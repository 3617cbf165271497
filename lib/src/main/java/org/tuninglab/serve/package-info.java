/**
 * {@code ./tuninglab serve}: an OpenAI-compatible HTTP server ({@link
 * org.tuninglab.serve.ChatServer}) for a model in this JVM, with or without a PEFT adapter, so
 * that any OpenAI client (the library's own {@link org.tuninglab.chat.OpenAiChatModel}, the
 * Python SDK, curl) can talk to it.
 */
package org.tuninglab.serve;
