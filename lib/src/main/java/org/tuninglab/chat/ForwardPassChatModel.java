package org.tuninglab.chat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.tuninglab.generate.FinishReason;
import org.tuninglab.generate.GenerationConfig;
import org.tuninglab.model.PretrainedModel;
import org.tuninglab.tokenize.ChatMessage;
import org.tuninglab.train.ForwardPass;
import org.tuninglab.train.NoGrad;

/**
 * Greedy answers through any training forward pass — a LoRA, QLoRA (NF4 base) or prompt-tuning
 * model exactly as it trained — by recomputing the whole sequence each token (no KV cache). Slower
 * than {@link LocalChatModel}, which serves merged weights with a cache; use it to score a model
 * during or right after training. Greedy only: a config with a temperature is refused.
 */
public final class ForwardPassChatModel implements ChatModel {
  private final String name;
  private final PretrainedModel model;
  private final ForwardPass forward;

  /**
   * Answers through {@code forward} with {@code model}'s chat template and tokenizer.
   *
   * @param name the model's name in reports
   * @param model the tokenizer, chat template and the arrays' manager (not closed by this)
   * @param forward the forward pass, for example {@code ForwardPass.of(adaptedModel)}
   */
  public ForwardPassChatModel(String name, PretrainedModel model, ForwardPass forward) {
    this.name = Objects.requireNonNull(name, "name");
    this.model = Objects.requireNonNull(model, "model");
    this.forward = Objects.requireNonNull(forward, "forward");
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public synchronized ChatReply chat(
      List<ChatMessage> messages, GenerationConfig config, ReplyListener onDelta) {
    if (config.temperature() > 0) {
      throw new IllegalArgumentException(
          "ForwardPassChatModel decodes greedily; got temperature " + config.temperature()
              + " (use LocalChatModel to sample)");
    }
    int[] prompt = model.encodeChat(messages);
    Set<Integer> stop = new HashSet<>(model.tokenizer().specialTokens().eos());
    stop.addAll(config.stopTokenIds());
    int[] ids = Arrays.copyOf(prompt, prompt.length + config.maxNewTokens());
    int length = prompt.length;
    FinishReason reason = FinishReason.LENGTH;
    forward.setTraining(false);
    for (int step = 0; step < config.maxNewTokens(); step++) {
      int next;
      try (NoGrad off = NoGrad.enter();
          NDManager scope = model.model().manager().newSubManager()) {
        long[] row = Arrays.stream(ids, 0, length).asLongStream().toArray();
        NDArray input = scope.create(row, new Shape(1, length)); // (1, T)
        NDArray mask = scope.ones(new Shape(1, length), input.getDataType()); // (1, T)
        NDArray logits = forward.logits(input, mask); // (1, T, V)
        next = (int) logits.get(new NDIndex("0, -1")).argMax().getLong();
      }
      if (stop.contains(next)) {
        reason = FinishReason.STOP_TOKEN;
        break;
      }
      ids[length++] = next;
    }
    int[] answer = Arrays.copyOfRange(ids, prompt.length, length);
    String text = model.tokenizer().decode(answer, true);
    for (String s : config.stopStrings()) {
      int at = text.indexOf(s);
      if (at >= 0) {
        text = text.substring(0, at);
        reason = FinishReason.STOP_STRING;
      }
    }
    onDelta.onDelta(text);
    return new ChatReply(text, reason, prompt.length, answer.length);
  }
}
