package org.tuninglab.prompt;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.tuninglab.tokenize.ChatMessage;

/**
 * A prompt with named variables, written {@code {name}}; {@code {{} and {@code }}} stand for
 * literal braces (as in Python's {@code str.format}), so JSON examples can sit in a prompt.
 *
 * <p>Filling is strict one way only: a variable left unfilled is an error, because a prompt with a
 * hole silently changes the task; an extra entry in the map is allowed, so one row of a data set
 * can fill several templates.
 *
 * <pre>{@code
 * PromptTemplate t = PromptTemplate.builder()
 *     .setTemplate("Extract every entity in: \"{text}\". Output JSON.")
 *     .optSystemPrompt("You are a careful annotator.")
 *     .build();
 * List<ChatMessage> messages = t.messages(Map.of("text", "The Apple executive ..."));
 * }</pre>
 */
public final class PromptTemplate {

  private final String source;
  private final List<Segment> user;
  private final List<Segment> system; // null when there is no system prompt
  private final List<String> variables;

  private PromptTemplate(Builder b) {
    this.source = b.template;
    this.user = parse(b.template, "template");
    this.system = b.systemPrompt == null ? null : parse(b.systemPrompt, "system prompt");
    Set<String> names = new LinkedHashSet<>();
    if (system != null) {
      system.stream().filter(Segment::isVariable).forEach(s -> names.add(s.text()));
    }
    user.stream().filter(Segment::isVariable).forEach(s -> names.add(s.text()));
    this.variables = List.copyOf(names);
  }

  /**
   * Parses a template with no system prompt.
   *
   * @param template the text with {@code {variables}}
   * @return the template
   * @throws PromptTemplateException if the template is malformed
   */
  public static PromptTemplate of(String template) {
    return builder().setTemplate(template).build();
  }

  /**
   * Starts a builder.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The variable names, each once, in the order they first appear (system prompt first).
   *
   * @return the names
   */
  public List<String> variables() {
    return variables;
  }

  /**
   * The unrendered template text.
   *
   * @return the source
   */
  public String template() {
    return source;
  }

  /**
   * Fills the variables of the (user) template.
   *
   * @param values a value for every variable; {@code String.valueOf} renders it; extra keys are
   *     ignored
   * @return the prompt text
   * @throws PromptTemplateException naming the first unfilled variable and the provided ones
   */
  public String render(Map<String, ?> values) {
    checkFilled(values);
    return fill(user, values);
  }

  /**
   * The chat messages for these values: the system prompt (if any) and the rendered user turn.
   *
   * @param values a value for every variable
   * @return the messages, ready for a chat template or {@code PretrainedModel.chat}
   * @throws PromptTemplateException naming the first unfilled variable and the provided ones
   */
  public List<ChatMessage> messages(Map<String, ?> values) {
    checkFilled(values);
    List<ChatMessage> out = new ArrayList<>(2);
    if (system != null) {
      out.add(ChatMessage.system(fill(system, values)));
    }
    out.add(ChatMessage.user(fill(user, values)));
    return List.copyOf(out);
  }

  @Override
  public String toString() {
    return "PromptTemplate" + variables;
  }

  private void checkFilled(Map<String, ?> values) {
    Objects.requireNonNull(values, "values");
    for (String name : variables) {
      if (values.get(name) == null) {
        throw new PromptTemplateException(
            "variable '"
                + name
                + "' is "
                + (values.containsKey(name) ? "null" : "not filled")
                + "; provided: "
                + new TreeSet<>(values.keySet()));
      }
    }
  }

  private static String fill(List<Segment> segments, Map<String, ?> values) {
    StringBuilder sb = new StringBuilder();
    for (Segment s : segments) {
      sb.append(s.isVariable() ? String.valueOf(values.get(s.text())) : s.text());
    }
    return sb.toString();
  }

  private static List<Segment> parse(String text, String what) {
    Objects.requireNonNull(text, what);
    List<Segment> out = new ArrayList<>();
    StringBuilder literal = new StringBuilder();
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      boolean doubled = i + 1 < text.length() && text.charAt(i + 1) == c;
      if ((c == '{' || c == '}') && doubled) {
        literal.append(c);
        i += 2;
      } else if (c == '}') {
        throw new PromptTemplateException(
            what + ": unmatched '}' at position " + i + " (write '}}' for a literal brace)");
      } else if (c == '{') {
        int close = text.indexOf('}', i + 1);
        int nextOpen = text.indexOf('{', i + 1);
        if (close < 0 || (nextOpen >= 0 && nextOpen < close)) {
          throw new PromptTemplateException(
              what + ": unclosed '{' at position " + i + " (write '{{' for a literal brace)");
        }
        String name = text.substring(i + 1, close).strip();
        if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
          throw new PromptTemplateException(
              what
                  + ": bad variable name '"
                  + name
                  + "' at position "
                  + i
                  + " (letters, digits and '_', not starting with a digit)");
        }
        if (literal.length() > 0) {
          out.add(new Segment(literal.toString(), false));
          literal.setLength(0);
        }
        out.add(new Segment(name, true));
        i = close + 1;
      } else {
        literal.append(c);
        i++;
      }
    }
    if (literal.length() > 0) {
      out.add(new Segment(literal.toString(), false));
    }
    return List.copyOf(out);
  }

  /** Literal text, or the name of a variable. */
  private record Segment(String text, boolean isVariable) {}

  /** Builds a {@link PromptTemplate}: {@code setTemplate} is required. */
  public static final class Builder {

    private String template;
    private String systemPrompt;

    private Builder() {}

    /**
     * Sets the user-turn template.
     *
     * @param template text with {@code {variables}}
     * @return this builder
     */
    public Builder setTemplate(String template) {
      this.template = template;
      return this;
    }

    /**
     * Adds a system prompt; it may use variables too.
     *
     * @param systemPrompt the system prompt template
     * @return this builder
     */
    public Builder optSystemPrompt(String systemPrompt) {
      this.systemPrompt = systemPrompt;
      return this;
    }

    /**
     * Parses the template(s).
     *
     * @return the template
     * @throws PromptTemplateException if no template was set or one is malformed
     */
    public PromptTemplate build() {
      if (template == null) {
        throw new PromptTemplateException("template is required (setTemplate)");
      }
      return new PromptTemplate(this);
    }
  }
}
