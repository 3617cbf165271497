/**
 * One interface for every chat model a lesson talks to: {@link org.tuninglab.chat.ChatModel},
 * implemented by a model in this JVM ({@link org.tuninglab.chat.LocalChatModel}, optionally with a
 * PEFT adapter) and by a client for OpenAI-compatible endpoints ({@link
 * org.tuninglab.chat.OpenAiChatModel}, configured by {@link org.tuninglab.chat.OpenAiConfig}).
 */
package org.tuninglab.chat;
