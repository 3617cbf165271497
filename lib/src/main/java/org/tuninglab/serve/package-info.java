/**
 * {@code ./tuninglab serve}: an OpenAI-compatible HTTP server ({@link
 * org.tuninglab.serve.ChatServer}) for a model in this JVM, with or without a PEFT adapter, so
 * that any OpenAI client (the library's own {@link org.tuninglab.chat.OpenAiChatModel}, the
 * Python SDK, curl) can talk to it. It runs on Jetty 12 and is hardened against hostile clients:
 * slow senders hold no thread, prompts are measured before they are tokenised, and every bad field
 * is a 400 naming it.
 */
package org.tuninglab.serve;
