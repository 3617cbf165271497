package org.tuninglab.serve;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.LongSupplier;
import org.tuninglab.generate.GenerationConfig;
import org.tuninglab.tokenize.ChatMessage;

/**
 * A validated body of {@code POST /v1/chat/completions} or {@code POST /v1/completions}.
 *
 * @param chat whether it is a chat request (messages) or a completion (prompt)
 * @param model the requested model name
 * @param messages the conversation (chat), else empty
 * @param prompt the text to continue (completion), else null
 * @param maxTokens the requested completion length, or -1 for the server's default
 * @param config decoding settings (its {@code maxNewTokens} is set once the prompt is measured)
 * @param stream whether to answer with server-sent events
 * @param includeUsage whether a stream ends with a usage chunk ({@code stream_options})
 */
record CompletionRequest(
    boolean chat,
    String model,
    List<ChatMessage> messages,
    String prompt,
    int maxTokens,
    GenerationConfig config,
    boolean stream,
    boolean includeUsage) {

  /** The roles chat templates know; OpenAI's "developer" is its new name for "system". */
  static final List<String> ROLES = List.of("system", "developer", "user", "assistant", "tool");

  /**
   * Reads and checks a request body; every problem names its field.
   *
   * @param seeds draws a seed for sampled requests that name none
   * @throws ApiException (400) for a missing, ill-typed or out-of-range field
   */
  static CompletionRequest parse(JsonNode body, boolean chat, LongSupplier seeds) {
    if (body == null || !body.isObject()) {
      throw ApiException.invalid(null, "the request body must be a JSON object");
    }
    String model = requiredString(body, "model");
    List<ChatMessage> messages = List.of();
    String prompt = null;
    if (chat) {
      messages = messages(body);
    } else {
      prompt = prompt(body);
    }
    int maxTokens = -1;
    for (String field : List.of("max_tokens", "max_completion_tokens")) {
      JsonNode n = body.get(field);
      if (n != null && !n.isNull()) {
        maxTokens = integer(n, field, 1, Integer.MAX_VALUE);
      }
    }
    JsonNode n = body.get("n");
    if (n != null && !n.isNull() && integer(n, "n", 1, Integer.MAX_VALUE) != 1) {
      throw ApiException.invalid("n", "'n' must be 1: this server returns one choice per request");
    }
    double temperature = number(body, "temperature", 0, 2, 1.0);
    double topP = number(body, "top_p", Double.MIN_VALUE, 1, 1.0);
    int topK = 0;
    JsonNode k = body.get("top_k");
    if (k != null && !k.isNull()) {
      topK = integer(k, "top_k", -1, Integer.MAX_VALUE);
      topK = Math.max(topK, 0); // vLLM's -1 means no limit, as 0 does here
    }
    JsonNode s = body.get("seed");
    long seed;
    if (s == null || s.isNull()) {
      seed = seeds.getAsLong();
    } else if (s.isIntegralNumber() && s.canConvertToLong()) {
      seed = s.asLong();
    } else {
      throw ApiException.invalid("seed", "'seed' must be an integer, got " + s);
    }
    GenerationConfig config =
        GenerationConfig.builder().optTemperature(temperature).optTopP(topP).optTopK(topK)
            .optSeed(seed).optStopStrings(stop(body)).optStopTokenIds(stopTokenIds(body)).build();
    boolean stream = bool(body, "stream", false);
    boolean includeUsage = false;
    JsonNode options = body.get("stream_options");
    if (options != null && !options.isNull()) {
      if (!options.isObject()) {
        throw ApiException.invalid(
            "stream_options", "'stream_options' must be an object, got " + options);
      }
      JsonNode usage = options.get("include_usage");
      if (usage != null && !usage.isNull() && !usage.isBoolean()) {
        throw ApiException.invalid("stream_options.include_usage",
            "'stream_options.include_usage' must be true or false, got " + usage);
      }
      includeUsage = usage != null && usage.asBoolean();
    }
    return new CompletionRequest(
        chat, model, messages, prompt, maxTokens, config, stream, includeUsage);
  }

  private static List<ChatMessage> messages(JsonNode body) {
    JsonNode list = body.get("messages");
    if (list == null || list.isNull()) {
      throw ApiException.invalid("messages", "'messages' is required");
    }
    if (!list.isArray() || list.isEmpty()) {
      throw ApiException.invalid(
          "messages", "'messages' must be a non-empty array of {role, content}, got " + list);
    }
    List<ChatMessage> messages = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      String where = "messages[" + i + "]";
      JsonNode m = list.get(i);
      if (!m.isObject()) {
        throw ApiException.invalid(where, "'" + where + "' must be an object, got " + m);
      }
      JsonNode role = m.get("role");
      if (role == null || !role.isTextual() || !ROLES.contains(role.asText())) {
        throw ApiException.invalid(
            where + ".role", "'" + where + ".role' must be one of " + ROLES + ", got " + role);
      }
      messages.add(new ChatMessage(role.asText(), content(m.get("content"), where + ".content")));
    }
    return messages;
  }

  /** A string, or OpenAI's list of content parts of which only text parts are accepted. */
  private static String content(JsonNode n, String where) {
    if (n != null && n.isTextual()) {
      return n.asText();
    }
    if (n != null && n.isArray()) {
      StringBuilder text = new StringBuilder();
      for (int i = 0; i < n.size(); i++) {
        JsonNode part = n.get(i);
        if (!"text".equals(part.path("type").asText()) || !part.path("text").isTextual()) {
          throw ApiException.invalid(
              where + "[" + i + "]",
              "'" + where + "[" + i + "]' must be {\"type\": \"text\", \"text\": string}: this"
                  + " server takes text only, got " + part);
        }
        text.append(part.get("text").asText());
      }
      return text.toString();
    }
    throw ApiException.invalid(
        where, "'" + where + "' must be a string or a list of text parts, got " + n);
  }

  private static String prompt(JsonNode body) {
    JsonNode p = body.get("prompt");
    if (p == null || p.isNull()) {
      throw ApiException.invalid("prompt", "'prompt' is required");
    }
    String text = null;
    if (p.isTextual()) {
      text = p.asText();
    } else if (p.isArray() && p.size() == 1 && p.get(0).isTextual()) {
      text = p.get(0).asText();
    }
    if (text == null) {
      throw ApiException.invalid(
          "prompt", "'prompt' must be a string (or a list of exactly one string), got " + p);
    }
    return text;
  }

  private static List<String> stop(JsonNode body) {
    JsonNode stop = body.get("stop");
    List<String> strings = new ArrayList<>();
    if (stop == null || stop.isNull()) {
      return strings;
    }
    if (stop.isTextual()) {
      strings.add(stop.asText());
    } else if (stop.isArray()) {
      for (JsonNode s : stop) {
        if (!s.isTextual()) {
          throw ApiException.invalid("stop", "'stop' must hold strings only, got " + s);
        }
        strings.add(s.asText());
      }
    } else {
      throw ApiException.invalid(
          "stop", "'stop' must be a string or a list of strings, got " + stop);
    }
    if (strings.stream().anyMatch(String::isEmpty)) {
      throw ApiException.invalid("stop", "'stop' strings must not be empty");
    }
    return strings;
  }

  private static Set<Integer> stopTokenIds(JsonNode body) {
    JsonNode ids = body.get("stop_token_ids");
    Set<Integer> set = new LinkedHashSet<>();
    if (ids == null || ids.isNull()) {
      return set;
    }
    if (!ids.isArray()) {
      throw ApiException.invalid(
          "stop_token_ids", "'stop_token_ids' must be a list of integers, got " + ids);
    }
    for (JsonNode id : ids) {
      set.add(integer(id, "stop_token_ids", 0, Integer.MAX_VALUE));
    }
    return set;
  }

  private static String requiredString(JsonNode body, String field) {
    JsonNode n = body.get(field);
    if (n == null || n.isNull()) {
      throw ApiException.invalid(field, "'" + field + "' is required");
    }
    if (!n.isTextual()) {
      throw ApiException.invalid(field, "'" + field + "' must be a string, got " + n);
    }
    return n.asText();
  }

  private static int integer(JsonNode n, String field, int min, int max) {
    if (!n.isIntegralNumber() || !n.canConvertToInt() || n.asInt() < min || n.asInt() > max) {
      throw ApiException.invalid(
          field,
          "'" + field + "' must be an integer"
              + (max == Integer.MAX_VALUE ? " >= " + min : " in [" + min + ", " + max + "]")
              + ", got " + n);
    }
    return n.asInt();
  }

  /** A number in {@code [min, max]}, or in {@code (0, max]} when {@code min} is 0 exclusive. */
  private static double number(
      JsonNode body, String field, double min, double max, double fallback) {
    JsonNode n = body.get(field);
    if (n == null || n.isNull()) {
      return fallback;
    }
    if (!n.isNumber() || n.asDouble() < min || n.asDouble() > max) {
      String range = (min == Double.MIN_VALUE ? "(0" : "[" + (int) min) + ", " + (int) max + "]";
      throw ApiException.invalid(
          field, "'" + field + "' must be a number in " + range + ", got " + n);
    }
    return n.asDouble();
  }

  private static boolean bool(JsonNode body, String field, boolean fallback) {
    JsonNode n = body.get(field);
    if (n == null || n.isNull()) {
      return fallback;
    }
    if (!n.isBoolean()) {
      throw ApiException.invalid(field, "'" + field + "' must be true or false, got " + n);
    }
    return n.asBoolean();
  }
}
