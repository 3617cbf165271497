package org.tuninglab.tokenize;

import com.fasterxml.jackson.databind.JsonNode;
import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.LegacyOverrides;
import com.hubspot.jinjava.interpret.OutputTooBigException;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.interpret.TemplateError.ErrorReason;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A model's Jinja chat template, rendered the way {@code transformers}' {@code apply_chat_template}
 * renders it, so the prompt text is byte-identical to what the model was trained on.
 *
 * <p>Jinjava matches Python's Jinja2 here only with trim_blocks, lstrip_blocks, trimming for
 * {@code {{-}} expressions, a {@code tojson} that behaves like {@code json.dumps} and a {@code
 * raise_exception} function. Jinjava keeps rendering after an error, so every render's errors are
 * checked and the first one is thrown. Like Jinja2, one trailing newline of the template is
 * dropped.
 *
 * <p>Message content is passed as values and never interpreted: {@code {{ }}} or {@code {% %}} in a
 * message reaches the model as those characters. Each render has a budget (time, and output
 * relative to the conversation's size) so that no template can hold a thread for long.
 *
 * <p>Known gaps against Python: Python-only string methods ({@code .startswith}, {@code .strip})
 * fail, {@code .split} returns a Java array, and an unknown filter renders nothing instead of
 * failing.
 */
public final class ChatTemplate {

  /** A template file that newer {@code transformers} saves next to the tokenizer; it wins. */
  public static final String CHAT_TEMPLATE_JINJA = "chat_template.jinja";

  /** The processor-style file some multimodal models use, read last. */
  public static final String CHAT_TEMPLATE_JSON = "chat_template.json";

  private static final List<String> RESERVED =
      List.of("messages", "add_generation_prompt", "bos_token", "eos_token");

  /** How long one render may take; real templates render in milliseconds. */
  private static final long RENDER_MILLIS = 5_000;

  /** Output allowed beyond the conversation's own text, which a template may repeat a few times. */
  private static final long RENDER_BASE_CHARS = 1 << 20;

  private static final int RENDER_CONTENT_FACTOR = 4;

  private static final Jinjava JINJAVA = newJinjava();

  private final String source;
  private final String bosToken;
  private final String eosToken;

  private ChatTemplate(String source, String bosToken, String eosToken) {
    this.source = source;
    this.bosToken = bosToken;
    this.eosToken = eosToken;
  }

  /**
   * Creates a template from its Jinja source.
   *
   * @param jinjaSource the template text
   * @param bosToken the text bound to {@code bos_token}, or null for none
   * @param eosToken the text bound to {@code eos_token}, or null for none
   * @return the template
   */
  public static ChatTemplate of(String jinjaSource, String bosToken, String eosToken) {
    return new ChatTemplate(Objects.requireNonNull(jinjaSource, "jinjaSource"), bosToken, eosToken);
  }

  /**
   * Reads the chat template of a Hugging Face model folder, looking where {@code transformers}
   * looks: {@code chat_template.jinja}, else {@code tokenizer_config.json}'s {@code
   * "chat_template"} (a string, or a list of {@code {name, template}} of which the one named {@code
   * "default"} is used), else {@code chat_template.json}. BOS and EOS text come from {@code
   * tokenizer_config.json}.
   *
   * @param modelDir the model folder
   * @return the template, or empty if the folder has none
   * @throws TokenizerFormatException if a file is corrupt or a field has the wrong shape
   * @throws IOException if a file cannot be read
   */
  public static Optional<ChatTemplate> fromModelDir(Path modelDir) throws IOException {
    Path configFile = modelDir.resolve(HfSpecialTokens.TOKENIZER_CONFIG);
    Optional<JsonNode> config = JsonFile.readObjectIfExists(configFile);
    String bos = config.isPresent() ? tokenText(configFile, config.get(), "bos_token") : null;
    String eos = config.isPresent() ? tokenText(configFile, config.get(), "eos_token") : null;

    Path jinjaFile = modelDir.resolve(CHAT_TEMPLATE_JINJA);
    if (Files.isRegularFile(jinjaFile)) {
      return Optional.of(of(JsonFile.readText(jinjaFile), bos, eos));
    }
    if (config.isPresent() && config.get().hasNonNull("chat_template")) {
      return Optional.of(
          of(templateField(configFile, config.get().get("chat_template")), bos, eos));
    }
    Path jsonFile = modelDir.resolve(CHAT_TEMPLATE_JSON);
    Optional<JsonNode> json = JsonFile.readObjectIfExists(jsonFile);
    if (json.isPresent()) {
      JsonNode field = json.get().get("chat_template");
      if (field == null || field.isNull()) {
        throw new TokenizerFormatException(
            jsonFile, "field \"chat_template\" is missing; expected the template text");
      }
      return Optional.of(of(templateField(jsonFile, field), bos, eos));
    }
    return Optional.empty();
  }

  /**
   * Renders a conversation.
   *
   * @param messages the conversation
   * @param addGenerationPrompt whether to end with the header that starts an assistant turn
   * @return the prompt text
   * @throws ChatTemplateException if the template raises or fails
   */
  public String render(List<ChatMessage> messages, boolean addGenerationPrompt) {
    return render(messages, addGenerationPrompt, Map.of());
  }

  /**
   * Renders a conversation with extra template variables (for example {@code tools} or {@code
   * date_string}).
   *
   * @param messages the conversation
   * @param addGenerationPrompt whether to end with the header that starts an assistant turn
   * @param variables extra variables; they may not redefine {@code messages}, {@code
   *     add_generation_prompt}, {@code bos_token} or {@code eos_token}
   * @return the prompt text
   * @throws ChatTemplateException if the template raises or fails
   * @throws IllegalArgumentException if a variable redefines a reserved name
   */
  public String render(
      List<ChatMessage> messages, boolean addGenerationPrompt, Map<String, Object> variables) {
    for (String name : variables.keySet()) {
      if (RESERVED.contains(name)) {
        throw new IllegalArgumentException(
            "variable \"" + name + "\" is set by the chat template itself; reserved: " + RESERVED);
      }
    }
    List<Map<String, Object>> turns = new ArrayList<>();
    long contentChars = 0;
    for (ChatMessage m : messages) {
      contentChars += m.content().length();
      Map<String, Object> turn = new LinkedHashMap<>();
      turn.put("role", m.role());
      turn.put("content", m.content());
      turns.add(turn);
    }
    Map<String, Object> bindings = new HashMap<>(variables);
    bindings.put("messages", turns);
    bindings.put("add_generation_prompt", addGenerationPrompt);
    bindings.put("bos_token", bosToken == null ? "" : bosToken);
    bindings.put("eos_token", eosToken == null ? "" : eosToken);

    long maxOutput = RENDER_BASE_CHARS + RENDER_CONTENT_FACTOR * (contentChars + source.length());
    RenderResult result =
        JINJAVA.renderForResult(
            withoutTrailingNewline(source),
            bindings,
            configBuilder()
                .withMaxOutputSize(maxOutput)
                .withNodePreProcessor(new RenderBudget(RENDER_MILLIS))
                .build());
    if (result.hasErrors()) {
      throw toException(result.getErrors());
    }
    return result.getOutput();
  }

  /**
   * Returns the Jinja source.
   *
   * @return the template text
   */
  public String source() {
    return source;
  }

  /**
   * Jinja2 drops one trailing newline of a template (keep_trailing_newline=False); Jinjava keeps
   * it.
   */
  private static String withoutTrailingNewline(String source) {
    if (source.endsWith("\r\n")) {
      return source.substring(0, source.length() - 2);
    }
    return source.endsWith("\n") ? source.substring(0, source.length() - 1) : source;
  }

  /** The template's own raise_exception wins over follow-on errors; else the first error. */
  private static ChatTemplateException toException(List<TemplateError> errors) {
    for (TemplateError error : errors) {
      for (Throwable t = error.getException(); t != null; t = t.getCause()) {
        if (t instanceof ChatTemplateGlobals.Raised raised) {
          return new ChatTemplateException(
              "the chat template rejected the conversation: " + raised.getMessage(), raised);
        }
        if (t instanceof RenderBudget.Exceeded exceeded) {
          return new ChatTemplateException("the chat template " + exceeded.getMessage(), exceeded);
        }
        if (t instanceof OutputTooBigException big) {
          return new ChatTemplateException(
              "the chat template ran over its output budget: " + big.getMessage(), big);
        }
      }
    }
    for (TemplateError error : errors) {
      if (error.getReason() == ErrorReason.OUTPUT_TOO_BIG) {
        return new ChatTemplateException(
            "the chat template ran over its output budget: " + error.getMessage(),
            error.getException());
      }
    }
    TemplateError first = errors.get(0);
    return new ChatTemplateException(
        "the chat template failed at line " + first.getLineno() + ": " + first.getMessage(),
        first.getException());
  }

  private static String templateField(Path file, JsonNode field) throws TokenizerFormatException {
    if (field.isTextual()) {
      return field.asText();
    }
    if (field.isArray()) {
      List<String> names = new ArrayList<>();
      for (JsonNode entry : field) {
        String name = entry.path("name").asText(null);
        names.add(name);
        if ("default".equals(name)) {
          JsonNode template = entry.get("template");
          if (template == null || !template.isTextual()) {
            throw new TokenizerFormatException(
                file,
                "field chat_template[name=default].template should be the template" + " text");
          }
          return template.asText();
        }
      }
      throw new TokenizerFormatException(
          file, "field \"chat_template\" lists templates " + names + " but none named \"default\"");
    }
    throw new TokenizerFormatException(
        file,
        "field \"chat_template\" should be the template text or a list of {name, template},"
            + " found "
            + field.getNodeType());
  }

  private static String tokenText(Path file, JsonNode config, String key)
      throws TokenizerFormatException {
    JsonNode node = config.get(key);
    return node == null || node.isNull() ? null : HfSpecialTokens.text(file, "\"" + key + "\"", node);
  }

  /**
   * Jinja2's settings as transformers uses them. Nested interpretation stays off: with it,
   * Jinjava renders any {@code {{ }}} found in an expression's value, so a message saying {@code
   * {{ 7*6 }}} would reach the model as "42"; message content must stay data.
   */
  private static JinjavaConfig.Builder configBuilder() {
    return JinjavaConfig.newBuilder()
        .withTrimBlocks(true)
        .withLstripBlocks(true)
        .withNestedInterpretationEnabled(false)
        .withLegacyOverrides(
            LegacyOverrides.newBuilder().withUseTrimmingForNotesAndExpressions(true).build());
  }

  private static Jinjava newJinjava() {
    Jinjava jinjava = new Jinjava(configBuilder().build());
    jinjava.registerFilter(new TojsonFilter());
    jinjava.registerFunction(
        new ELFunctionDefinition(
            "", "raise_exception", ChatTemplateGlobals.class, "raiseException", Object.class));
    jinjava.registerFunction(
        new ELFunctionDefinition(
            "", "strftime_now", ChatTemplateGlobals.class, "strftimeNow", String.class));
    return jinjava;
  }
}
