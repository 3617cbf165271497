/**
 * One interface for every chat model a lesson talks to: {@link org.tuninglab.chat.ChatModel},
 * implemented by a model in this JVM and by a client for OpenAI-compatible endpoints.
 */
package org.tuninglab.chat;
