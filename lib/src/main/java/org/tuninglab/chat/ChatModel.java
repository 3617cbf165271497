package org.tuninglab.chat;

import java.util.ArrayList;
import java.util.List;
import org.tuninglab.generate.GenerationConfig;
import org.tuninglab.tokenize.ChatMessage;

/**
 * A model that answers a conversation: a local model in this JVM or a remote OpenAI-compatible
 * endpoint (vLLM, Ollama, llama.cpp, {@code ./tuninglab serve}). Prompting, RAG and evaluation
 * code takes this interface, so the same lesson runs against either.
 */
public interface ChatModel extends AutoCloseable {

  /** The name requests and reports use (a Hub id, a directory name, or the server's model id). */
  String name();

  /**
   * Answers a conversation and returns the whole reply.
   *
   * @param messages the conversation so far, oldest first
   * @param config how to decode (sampling, length, stop strings, seed)
   * @return the reply
   * @throws ChatModelException if the model or the endpoint fails
   */
  default ChatReply chat(List<ChatMessage> messages, GenerationConfig config) {
    return chat(messages, config, delta -> {});
  }

  /**
   * Answers a conversation, passing text to {@code onDelta} as it is produced.
   *
   * @param messages the conversation so far, oldest first
   * @param config how to decode
   * @param onDelta receives each new piece of the reply, in order; the pieces join to the reply
   * @return the reply
   * @throws ChatModelException if the model or the endpoint fails
   */
  ChatReply chat(List<ChatMessage> messages, GenerationConfig config, ReplyListener onDelta);

  /**
   * Answers several conversations with one decoding config, replies in order. A local model
   * decodes them as one left-padded batch through the KV cache, several times faster on a CPU
   * than one by one; the default asks one at a time.
   *
   * @param conversations the conversations, each oldest message first
   * @param config how to decode, shared by all (its seed seeds the whole batch)
   * @return one reply per conversation
   * @throws ChatModelException if the model fails on any of them; ask one at a time to learn which
   */
  default List<ChatReply> chatAll(List<List<ChatMessage>> conversations, GenerationConfig config) {
    List<ChatReply> out = new ArrayList<>();
    for (List<ChatMessage> conversation : conversations) {
      out.add(chat(conversation, config));
    }
    return out;
  }

  /** Frees what the model holds; the default holds nothing. */
  @Override
  default void close() {}
}
