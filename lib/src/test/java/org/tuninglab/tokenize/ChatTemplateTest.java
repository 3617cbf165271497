package org.tuninglab.tokenize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Golden renders: every expected string was produced by Python's Jinja2 3.1 configured as
 * transformers' apply_chat_template configures it (sandbox, trim_blocks, lstrip_blocks, its tojson
 * and raise_exception), from the same template files.
 */
class ChatTemplateTest {

  private static final List<ChatMessage> SYSTEM_USER =
      List.of(ChatMessage.system("You are terse."), ChatMessage.user("What is 2+2?"));
  private static final List<ChatMessage> MULTI_TURN =
      List.of(
          ChatMessage.system("You are terse."),
          ChatMessage.user("What is 2+2?"),
          ChatMessage.assistant("4"),
          ChatMessage.user("And 3+3?"));

  private static ChatTemplate qwen() {
    return ChatTemplate.of(Fixtures.text("chat/qwen2.5.jinja"), null, "<|im_end|>");
  }

  private static ChatTemplate llama3() {
    return ChatTemplate.of(Fixtures.text("chat/llama3.jinja"), "<|begin_of_text|>", "<|eot_id|>");
  }

  @Test
  void qwenSystemAndUserWithoutGenerationPrompt() {
    assertEquals(
        "<|im_start|>system\n"
            + "You are terse.<|im_end|>\n"
            + "<|im_start|>user\n"
            + "What is 2+2?<|im_end|>\n",
        qwen().render(SYSTEM_USER, false));
  }

  @Test
  void qwenSystemAndUserWithGenerationPrompt() {
    assertEquals(
        "<|im_start|>system\n"
            + "You are terse.<|im_end|>\n"
            + "<|im_start|>user\n"
            + "What is 2+2?<|im_end|>\n"
            + "<|im_start|>assistant\n",
        qwen().render(SYSTEM_USER, true));
  }

  @Test
  void qwenMultiTurn() {
    assertEquals(
        "<|im_start|>system\n"
            + "You are terse.<|im_end|>\n"
            + "<|im_start|>user\n"
            + "What is 2+2?<|im_end|>\n"
            + "<|im_start|>assistant\n"
            + "4<|im_end|>\n"
            + "<|im_start|>user\n"
            + "And 3+3?<|im_end|>\n"
            + "<|im_start|>assistant\n",
        qwen().render(MULTI_TURN, true));
  }

  @Test
  void qwenWithoutSystemMessageUsesItsDefaultSystemPrompt() {
    assertEquals(
        "<|im_start|>system\n"
            + "You are Qwen, created by Alibaba Cloud. You are a helpful"
            + " assistant.<|im_end|>\n"
            + "<|im_start|>user\n"
            + "Héllo, 世界!<|im_end|>\n"
            + "<|im_start|>assistant\n",
        qwen().render(List.of(ChatMessage.user("Héllo, 世界!")), true));
  }

  @Test
  void qwenWithToolsWritesThemAsPythonJson() {
    String expected =
        "<|im_start|>system\n"
            + "You are Qwen, created by Alibaba Cloud. You are a helpful assistant.\n\n"
            + "# Tools\n\n"
            + "You may call one or more functions to assist with the user query.\n\n"
            + "You are provided with function signatures within <tools></tools> XML tags:\n"
            + "<tools>\n"
            + TOOL_JSON
            + "\n"
            + "</tools>\n\n"
            + "For each function call, return a json object with function name and"
            + " arguments within <tool_call></tool_call> XML tags:\n"
            + "<tool_call>\n"
            + "{\"name\": <function-name>, \"arguments\": <args-json-object>}\n"
            + "</tool_call><|im_end|>\n"
            + "<|im_start|>user\n"
            + "Weather?<|im_end|>\n"
            + "<|im_start|>assistant\n";
    assertEquals(
        expected,
        qwen()
            .render(List.of(ChatMessage.user("Weather?")), true, Map.of("tools", List.of(tool()))));
  }

  private static final String TOOL_JSON =
      "{\"type\": \"function\", \"function\": {\"name\": \"get_weather\", \"description\":"
          + " \"Wetter für \\\"Zürich\\\"\\n"
          + "\", \"parameters\": {\"type\": \"object\", \"properties\": {\"city\": {\"type\":"
          + " \"string\"}}, \"required\": [\"city\"]}, \"strict\": true, \"temperature\":"
          + " 0.5, \"limit\": null, \"n\": 3, \"tiny\": 1e-07, \"big\": 1e+16, \"one\":"
          + " 1.0}}";

  private static Map<String, Object> tool() {
    Map<String, Object> parameters = new LinkedHashMap<>();
    parameters.put("type", "object");
    parameters.put("properties", Map.of("city", Map.of("type", "string")));
    parameters.put("required", List.of("city"));
    Map<String, Object> function = new LinkedHashMap<>();
    function.put("name", "get_weather");
    function.put("description", "Wetter für \"Zürich\"\n");
    function.put("parameters", parameters);
    function.put("strict", true);
    function.put("temperature", 0.5);
    function.put("limit", null);
    function.put("n", 3);
    function.put("tiny", 1e-7);
    function.put("big", 1e16);
    function.put("one", 1.0);
    Map<String, Object> tool = new LinkedHashMap<>();
    tool.put("type", "function");
    tool.put("function", function);
    return tool;
  }

  @Test
  void tojsonOptionsMatchPythonJsonDumps() {
    String expected =
        TOOL_JSON
            + "\n"
            + "{\n"
            + "  \"type\": \"function\",\n"
            + "  \"function\": {\n"
            + "    \"name\": \"get_weather\",\n"
            + "    \"description\": \"Wetter für \\\"Zürich\\\"\\n"
            + "\",\n"
            + "    \"parameters\": {\n"
            + "      \"type\": \"object\",\n"
            + "      \"properties\": {\n"
            + "        \"city\": {\n"
            + "          \"type\": \"string\"\n"
            + "        }\n"
            + "      },\n"
            + "      \"required\": [\n"
            + "        \"city\"\n"
            + "      ]\n"
            + "    },\n"
            + "    \"strict\": true,\n"
            + "    \"temperature\": 0.5,\n"
            + "    \"limit\": null,\n"
            + "    \"n\": 3,\n"
            + "    \"tiny\": 1e-07,\n"
            + "    \"big\": 1e+16,\n"
            + "    \"one\": 1.0\n"
            + "  }\n"
            + "}\n"
            + "{\"function\":{\"big\":1e+16,\"description\":\"Wetter für"
            + " \\\"Zürich\\\"\\n"
            + "\",\"limit\":null,\"n\":3,\"name\":\"get_weather\",\"one\":1.0,\"parameters\":"
            + "{\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"],"
            + "\"type\":\"object\"},\"strict\":true,\"temperature\":0.5,\"tiny\":1e-07},"
            + "\"type\":\"function\"}\n"
            + TOOL_JSON.replace("ü", "\\u00fc")
            + "\nx";
    ChatTemplate template = ChatTemplate.of(Fixtures.text("chat/tools.jinja"), null, null);
    assertEquals(
        expected,
        template.render(List.of(ChatMessage.user("x")), false, Map.of("tools", List.of(tool()))));
  }

  @Test
  void llama3SystemAndUser() {
    assertEquals(
        "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\n"
            + "You are terse.<|eot_id|><|start_header_id|>user<|end_header_id|>\n\n"
            + "What is 2+2?<|eot_id|>",
        llama3().render(SYSTEM_USER, false));
  }

  @Test
  void llama3MultiTurnTrimsContentAndAddsGenerationPrompt() {
    List<ChatMessage> messages =
        List.of(
            ChatMessage.system("You are terse."),
            ChatMessage.user("  What is 2+2?\n"),
            ChatMessage.assistant("4"),
            ChatMessage.user("And 3+3?"));
    assertEquals(
        "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\n"
            + "You are terse.<|eot_id|><|start_header_id|>user<|end_header_id|>\n\n"
            + "What is 2+2?<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n"
            + "4<|eot_id|><|start_header_id|>user<|end_header_id|>\n\n"
            + "And 3+3?<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n",
        llama3().render(messages, true));
  }

  @Test
  void alternatingTemplateRendersAValidConversation() {
    ChatTemplate template = ChatTemplate.of(Fixtures.text("chat/alternating.jinja"), "<s>", "</s>");
    assertEquals(
        "<s>[INST] Hi [/INST]Hello!</s>[INST] Bye [/INST]",
        template.render(
            List.of(
                ChatMessage.user("Hi"), ChatMessage.assistant("Hello!"), ChatMessage.user("Bye")),
            false));
  }

  @Test
  void raiseExceptionStopsRenderingWithTheTemplatesMessage() {
    ChatTemplate template = ChatTemplate.of(Fixtures.text("chat/alternating.jinja"), "<s>", "</s>");
    ChatTemplateException e =
        assertThrows(
            ChatTemplateException.class,
            () ->
                template.render(List.of(ChatMessage.user("Hi"), ChatMessage.user("Again")), false));
    assertEquals(
        "the chat template rejected the conversation: "
            + "Conversation roles must alternate user/assistant/user/assistant/...",
        e.getMessage());
  }

  @Test
  void aBrokenTemplateFailsWithItsLine() {
    ChatTemplate template = ChatTemplate.of("line one\n{% if %}x{% endif %}", null, null);
    ChatTemplateException e =
        assertThrows(ChatTemplateException.class, () -> template.render(SYSTEM_USER, false));
    assertEquals(
        "the chat template failed at line 2: Syntax error in '{% if %}': Tag 'if' expects"
            + " expression",
        e.getMessage());
  }

  @Test
  void pythonOnlyStringMethodsFailInsteadOfRenderingWrongText() {
    ChatTemplate template =
        ChatTemplate.of("{{ messages[0].content.startswith('W') }}", null, null);
    ChatTemplateException e =
        assertThrows(ChatTemplateException.class, () -> template.render(SYSTEM_USER, false));
    assertTrue(e.getMessage().contains("startswith"), e.getMessage());
  }

  @Test
  void oneTrailingNewlineOfTheTemplateIsDroppedLikeJinja2() {
    assertEquals("a\n", ChatTemplate.of("a\n\n", null, null).render(List.of(), false));
    assertEquals(
        "hi",
        ChatTemplate.of("{{ messages[0].content }}\r\n", null, null)
            .render(List.of(ChatMessage.user("hi")), false));
  }

  @Test
  void reservedVariablesCannotBeOverridden() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> qwen().render(SYSTEM_USER, true, Map.of("messages", List.of())));
    assertTrue(e.getMessage().contains("\"messages\""), e.getMessage());
  }

  @Test
  void strftimeNowFormatsLikePython() {
    ZonedDateTime t = ZonedDateTime.of(2024, 7, 4, 15, 5, 9, 0, ZoneOffset.UTC);
    assertEquals("04 Jul 2024", PythonStrftime.format("%d %b %Y", t));
    assertEquals(
        "Thursday, July 4 24 03:05:09 PM 186 %",
        PythonStrftime.format("%A, %B %-d %y %I:%M:%S %p %j %%", t));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> PythonStrftime.format("%Q", t));
    assertTrue(e.getMessage().contains("%Q"), e.getMessage());
    String rendered =
        ChatTemplate.of("{{ strftime_now('%Y') }}", null, null).render(List.of(), false);
    assertTrue(rendered.matches("\\d{4}"), rendered);
  }

  @Test
  void fromModelDirReadsTokenizerConfigTemplateAndTokens() throws IOException {
    ChatTemplate template = ChatTemplate.fromModelDir(Fixtures.resource("bpe")).orElseThrow();
    assertEquals(Fixtures.text("chat/qwen2.5.jinja"), template.source());
    assertEquals(qwen().render(MULTI_TURN, true), template.render(MULTI_TURN, true));
  }

  @Test
  void fromModelDirPrefersChatTemplateJinja(@TempDir Path dir) throws IOException {
    Files.writeString(
        dir.resolve("tokenizer_config.json"),
        "{\"chat_template\": \"from config\", \"eos_token\": {\"content\": \"</s>\"}}");
    Files.writeString(dir.resolve("chat_template.jinja"), "from jinja {{ eos_token }}");
    assertEquals(
        "from jinja </s>", ChatTemplate.fromModelDir(dir).orElseThrow().render(List.of(), false));
  }

  @Test
  void fromModelDirPicksTheDefaultOfNamedTemplates(@TempDir Path dir) throws IOException {
    Files.writeString(
        dir.resolve("tokenizer_config.json"),
        "{\"chat_template\": [{\"name\": \"tool_use\", \"template\": \"tools\"},"
            + " {\"name\": \"default\", \"template\": \"plain\"}]}");
    assertEquals("plain", ChatTemplate.fromModelDir(dir).orElseThrow().render(List.of(), false));
  }

  @Test
  void fromModelDirFallsBackToChatTemplateJson(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("chat_template.json"), "{\"chat_template\": \"processor\"}");
    assertEquals(
        "processor", ChatTemplate.fromModelDir(dir).orElseThrow().render(List.of(), false));
  }

  @Test
  void fromModelDirIsEmptyWithoutATemplate(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("tokenizer_config.json"), "{\"eos_token\": \"</s>\"}");
    assertTrue(ChatTemplate.fromModelDir(dir).isEmpty());
  }

  @Test
  void fromModelDirNamesTheFileAndFieldOfABadTemplate(@TempDir Path dir) throws IOException {
    Files.writeString(
        dir.resolve("tokenizer_config.json"),
        "{\"chat_template\": [{\"name\": \"tool_use\", \"template\": \"tools\"}]}");
    TokenizerFormatException e =
        assertThrows(TokenizerFormatException.class, () -> ChatTemplate.fromModelDir(dir));
    assertEquals(
        dir.resolve("tokenizer_config.json")
            + ": field \"chat_template\" lists templates [tool_use] but none named"
            + " \"default\"",
        e.getMessage());

    Files.writeString(dir.resolve("tokenizer_config.json"), "{\"chat_template\": 42}");
    e = assertThrows(TokenizerFormatException.class, () -> ChatTemplate.fromModelDir(dir));
    assertTrue(
        e.getMessage().contains("field \"chat_template\" should be the template text"),
        e.getMessage());

    Files.writeString(dir.resolve("tokenizer_config.json"), "{\"chat_template\": \"x\",");
    e = assertThrows(TokenizerFormatException.class, () -> ChatTemplate.fromModelDir(dir));
    assertTrue(
        e.getMessage()
            .startsWith(dir.resolve("tokenizer_config.json") + ": is not valid JSON at line 1"),
        e.getMessage());
  }
  @Test
  void messageContentIsDataNeverTemplateCode() {
    String hostile = "{{ 7*6 }} {% if x %}yes{% endif %} {{ {# {%";
    String rendered = qwen().render(List.of(ChatMessage.user(hostile)), false);
    assertTrue(rendered.contains(hostile), rendered);
    assertTrue(!rendered.contains("42"), rendered);
  }

  @Test
  void aTemplateThatLoopsForeverRunsOutOfItsBudget() {
    ChatTemplate looping =
        ChatTemplate.of(
            "{% for a in range(1000) %}{% for b in range(1000) %}{% for c in range(1000) %}"
                + "{% endfor %}{% endfor %}{% endfor %}",
            null,
            null);
    long start = System.nanoTime();
    ChatTemplateException e =
        assertThrows(
            ChatTemplateException.class,
            () -> looping.render(List.of(ChatMessage.user("hi")), false));
    assertTrue((System.nanoTime() - start) / 1e9 < 10, "took too long");
    assertTrue(e.getMessage().contains("budget"), e.getMessage());
  }

  @Test
  void aTemplateThatWritesTooMuchRunsOutOfItsBudget() {
    ChatTemplate huge =
        ChatTemplate.of(
            "{% for a in range(1000) %}{% for b in range(1000) %}{{ messages[0].content }}"
                + "{% endfor %}{% endfor %}",
            null,
            null);
    ChatTemplateException e =
        assertThrows(
            ChatTemplateException.class,
            () -> huge.render(List.of(ChatMessage.user("x".repeat(1000))), false));
    assertTrue(e.getMessage().contains("budget"), e.getMessage());
  }
}
