package org.tuninglab.chat;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import org.tuninglab.generate.FinishReason;
import org.tuninglab.generate.Generation;
import org.tuninglab.generate.GenerationConfig;
import org.tuninglab.generate.Generator;
import org.tuninglab.generate.LanguageModel;
import org.tuninglab.generate.TokenListener;
import org.tuninglab.model.PretrainedModel;
import org.tuninglab.peft.AdaptedModel;
import org.tuninglab.peft.LoraModel;
import org.tuninglab.peft.PeftAdapters;
import org.tuninglab.peft.PromptTuningModel;
import org.tuninglab.score.ForwardPass;
import org.tuninglab.tokenize.ChatMessage;

/**
 * A {@link PretrainedModel} in this JVM answering through its chat template, optionally with a
 * PEFT adapter (LoRA, merged into the weights for speed, or prompt tuning).
 *
 * <p>Thread-safe: one model serves one request at a time; callers wait in arrival order.
 *
 * <p>Token counts: {@code promptTokens} are the prompt's ids (a prompt-tuning adapter's virtual
 * tokens are not counted); {@code completionTokens} are the generated ids including an
 * end-of-sequence token, as vLLM counts them.
 */
public final class LocalChatModel implements ChatModel {
  private final String name;
  private final PretrainedModel model;
  private final AdaptedModel adapter;
  private final int virtualTokens;
  private final Generator generator;
  private final boolean ownsModel;
  private final ReentrantLock lock = new ReentrantLock(true);
  private boolean closed;

  private LocalChatModel(Builder b, AdaptedModel adapter, ForwardPass forward) {
    this.name = b.name;
    this.model = b.model;
    this.adapter = adapter;
    this.ownsModel = b.ownsModel;
    virtualTokens =
        forward instanceof PromptTuningModel prompt ? prompt.config().numVirtualTokens() : 0;
    generator = new Generator(forward, model.tokenizer());
  }

  /**
   * Loads a model (directory or Hub name) and optionally an adapter; the chat model owns both.
   *
   * @param nameOrPath the model, also the name this chat model reports
   * @param adapter a PEFT adapter directory, or null
   */
  public static LocalChatModel load(String nameOrPath, Path adapter, Device device, DataType dtype)
      throws IOException {
    PretrainedModel model = LanguageModel.loadPretrained(nameOrPath, device, dtype);
    try {
      return builder().setModel(model).optName(nameOrPath).optAdapter(adapter).optOwnsModel(true)
          .build();
    } catch (IOException | RuntimeException e) {
      model.close();
      throw e;
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String name() {
    return name;
  }

  /** The model answering (with the adapter applied). */
  public PretrainedModel model() {
    return model;
  }

  /** Whether {@link #chat} can render a conversation (the model has a chat template). */
  public boolean hasChatTemplate() {
    return model.chatTemplate().isPresent();
  }

  /** The longest prompt plus completion, in tokens, the model takes (virtual tokens deducted). */
  public int maxContextTokens() {
    return model.model().config().maxPositions() - virtualTokens;
  }

  /**
   * The prompt ids of a conversation (chat template, generation prompt appended).
   *
   * @throws IllegalStateException if the model has no chat template
   */
  public int[] chatPrompt(List<ChatMessage> messages) {
    if (messages.isEmpty()) {
      throw new IllegalArgumentException("a conversation needs at least one message");
    }
    return model.encodeChat(messages);
  }

  /** The prompt ids of plain text, special tokens (BOS) added as the tokenizer prescribes. */
  public int[] textPrompt(String text) {
    return model.tokenizer().encode(text, true);
  }

  @Override
  public ChatReply chat(
      List<ChatMessage> messages, GenerationConfig config, ReplyListener onDelta) {
    return generate(chatPrompt(messages), config, onDelta);
  }

  /** Continues plain text (no chat template), streaming to {@code onDelta}. */
  public ChatReply complete(String prompt, GenerationConfig config, ReplyListener onDelta) {
    return generate(textPrompt(prompt), config, onDelta);
  }

  /**
   * Continues prompt ids, waiting for the model while another request has it.
   *
   * @throws ChatModelException if generation fails; an exception thrown by {@code onDelta} (to
   *     abandon the reply) passes through unchanged
   */
  public ChatReply generate(int[] prompt, GenerationConfig config, ReplyListener onDelta) {
    Objects.requireNonNull(onDelta, "onDelta");
    RuntimeException[] fromListener = new RuntimeException[1];
    TokenListener listener = (sequence, token, delta) -> {
      try {
        onDelta.onDelta(delta);
      } catch (RuntimeException e) {
        fromListener[0] = e;
        throw e;
      }
    };
    Generation g = decode(List.of(prompt), config, listener, fromListener).get(0);
    return reply(prompt, g);
  }

  /** Decodes the conversations as one batch (left-padded prompts, one KV cache). */
  @Override
  public List<ChatReply> chatAll(List<List<ChatMessage>> conversations, GenerationConfig config) {
    List<int[]> prompts = conversations.stream().map(this::chatPrompt).toList();
    List<Generation> gs = decode(prompts, config, TokenListener.NONE, new RuntimeException[1]);
    List<ChatReply> out = new ArrayList<>();
    for (int i = 0; i < prompts.size(); i++) {
      out.add(reply(prompts.get(i), gs.get(i)));
    }
    return out;
  }

  /** Runs the generator while holding the model; a listener's own exception passes unchanged. */
  private List<Generation> decode(
      List<int[]> prompts, GenerationConfig config, TokenListener listener,
      RuntimeException[] fromListener) {
    lock.lock();
    try {
      if (closed) {
        throw new ChatModelException("model '" + name + "' is closed");
      }
      return generator.generate(prompts, config, listener);
    } catch (RuntimeException e) {
      if (e == fromListener[0]) {
        throw e;
      }
      throw new ChatModelException("model '" + name + "' failed to generate: " + e.getMessage(), e);
    } finally {
      lock.unlock();
    }
  }

  private static ChatReply reply(int[] prompt, Generation g) {
    int completion = g.tokens().length + (g.finishReason() == FinishReason.STOP_TOKEN ? 1 : 0);
    return new ChatReply(g.text(), g.finishReason(), prompt.length, completion);
  }

  /** Takes the adapter off, and closes the model if this chat model loaded it. */
  @Override
  public void close() {
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      if (adapter != null) {
        adapter.close();
      }
      if (ownsModel) {
        model.close();
      }
    } finally {
      lock.unlock();
    }
  }

  /** Builds a {@link LocalChatModel}: {@code setModel} required. */
  public static final class Builder {
    private PretrainedModel model;
    private String name;
    private Path adapter;
    private AdaptedModel adapted;
    private boolean ownsModel;

    /** The model to answer with. */
    public Builder setModel(PretrainedModel value) {
      model = value;
      return this;
    }

    /** The reported name; default: the model directory's name, else "local". */
    public Builder optName(String value) {
      name = value;
      return this;
    }

    /**
     * Answers through a model adapted in memory (a LoRA, QLoRA or prompt-tuning model just
     * trained, exactly as it trained; not closed by this); instead of {@link #optAdapter}.
     */
    public Builder optAdaptedModel(AdaptedModel value) {
      adapted = value;
      return this;
    }

    /** A PEFT adapter directory (LoRA or prompt tuning) to apply to the model. */
    public Builder optAdapter(Path value) {
      adapter = value;
      return this;
    }

    /** Whether {@link LocalChatModel#close()} closes the model too (default false). */
    public Builder optOwnsModel(boolean value) {
      ownsModel = value;
      return this;
    }

    /**
     * Applies the adapter, if any, to the model.
     *
     * @throws org.tuninglab.peft.AdapterFormatException if the adapter is unreadable or does not
     *     fit the model
     */
    public LocalChatModel build() throws IOException {
      Objects.requireNonNull(model, "setModel is required");
      if (name == null) {
        name = model.directory().map(d -> d.getFileName().toString()).orElse("local");
      }
      if (adapter != null && adapted != null) {
        throw new IllegalArgumentException("give an adapter folder or an adapted model, not both");
      }
      if (adapted != null) {
        return new LocalChatModel(this, null, adapted);
      }
      if (adapter != null) {
        AdaptedModel loaded = PeftAdapters.load(adapter, model.model());
        if (loaded instanceof LoraModel lora) {
          lora.merge(); // the forward pass then costs what the base's does
        }
        return new LocalChatModel(this, loaded, loaded);
      }
      return new LocalChatModel(this, null, ForwardPass.of(model.model()));
    }
  }
}
