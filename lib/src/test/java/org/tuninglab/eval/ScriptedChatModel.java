package org.tuninglab.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.tuninglab.chat.ChatModel;
import org.tuninglab.chat.ChatModelException;
import org.tuninglab.chat.ChatReply;
import org.tuninglab.chat.ReplyListener;
import org.tuninglab.generate.FinishReason;
import org.tuninglab.generate.GenerationConfig;
import org.tuninglab.tokenize.ChatMessage;

/**
 * A deterministic chat model for tests: the reply is a function of the last user turn and the
 * decoding config; a reply of {@link #FAIL} makes the call throw. Token counts are word counts
 * (prompt: every message's words; completion: the reply's words). Every call is recorded.
 */
final class ScriptedChatModel implements ChatModel {
  static final String FAIL = "<fail>";

  /** One call: the conversation and the config it came with. */
  record Call(List<ChatMessage> messages, GenerationConfig config) {}

  private final String name;
  private final Function<Call, String> script;
  final List<Call> calls = new ArrayList<>();

  ScriptedChatModel(String name, Function<Call, String> script) {
    this.name = name;
    this.script = script;
  }

  /** Replies by the last user turn's text. */
  static ScriptedChatModel byPrompt(String name, Function<String, String> byLastUserTurn) {
    return new ScriptedChatModel(name, call -> byLastUserTurn.apply(lastUser(call.messages())));
  }

  static String lastUser(List<ChatMessage> messages) {
    for (int i = messages.size() - 1; i >= 0; i--) {
      if (messages.get(i).role().equals("user")) {
        return messages.get(i).content();
      }
    }
    throw new IllegalArgumentException("no user turn in " + messages);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public ChatReply chat(
      List<ChatMessage> messages, GenerationConfig config, ReplyListener onDelta) {
    Call call = new Call(List.copyOf(messages), config);
    calls.add(call);
    String text = script.apply(call);
    if (FAIL.equals(text)) {
      throw new ChatModelException(name + ": the endpoint refused the request (scripted)");
    }
    onDelta.onDelta(text);
    int prompt = messages.stream().mapToInt(m -> words(m.content())).sum();
    return new ChatReply(text, FinishReason.STOP_TOKEN, prompt, words(text));
  }

  private static int words(String text) {
    return text.isBlank() ? 0 : text.strip().split("\\s+").length;
  }
}
