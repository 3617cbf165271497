package org.tuninglab.prompt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tuninglab.tokenize.ChatMessage;

class PromptTemplateTest {

  @Test
  void rendersVariablesAndIgnoresExtraOnes() {
    PromptTemplate t = PromptTemplate.of("Translate {text} into {language}.");
    assertEquals(
        "Translate bonjour into English.",
        t.render(Map.of("text", "bonjour", "language", "English", "unused", 1)));
  }

  @Test
  void listsVariablesOnceInOrderOfAppearance() {
    PromptTemplate t = PromptTemplate.of("{b} {a} {b} { c }");
    assertEquals(List.of("b", "a", "c"), t.variables());
    assertEquals("2 1 2 3", t.render(Map.of("a", 1, "b", 2, "c", 3)));
  }

  @Test
  void doubledBracesAreLiteral() {
    PromptTemplate t = PromptTemplate.of("Answer as {{\"entity\": \"{example}\"}}");
    assertEquals(List.of("example"), t.variables());
    assertEquals("Answer as {\"entity\": \"Apple\"}", t.render(Map.of("example", "Apple")));
  }

  @Test
  void unfilledVariableIsNamedWithTheProvidedOnes() {
    PromptTemplate t = PromptTemplate.of("{question} in {language}");
    PromptTemplateException e =
        assertThrows(
            PromptTemplateException.class, () -> t.render(Map.of("question", "q", "lang", "en")));
    assertEquals("variable 'language' is not filled; provided: [lang, question]", e.getMessage());
  }

  @Test
  void nullValueIsAnError() {
    Map<String, Object> values = new HashMap<>();
    values.put("x", null);
    PromptTemplateException e =
        assertThrows(PromptTemplateException.class, () -> PromptTemplate.of("{x}").render(values));
    assertTrue(e.getMessage().startsWith("variable 'x' is null"), e.getMessage());
  }

  @Test
  void unclosedBraceNamesItsPosition() {
    PromptTemplateException e =
        assertThrows(PromptTemplateException.class, () -> PromptTemplate.of("Hello {name"));
    assertTrue(e.getMessage().contains("unclosed '{' at position 6"), e.getMessage());
    e = assertThrows(PromptTemplateException.class, () -> PromptTemplate.of("{a {b}"));
    assertTrue(e.getMessage().contains("unclosed '{' at position 0"), e.getMessage());
  }

  @Test
  void strayClosingBraceNamesItsPosition() {
    PromptTemplateException e =
        assertThrows(PromptTemplateException.class, () -> PromptTemplate.of("a } b"));
    assertTrue(e.getMessage().contains("unmatched '}' at position 2"), e.getMessage());
  }

  @Test
  void badVariableNameIsRejected() {
    PromptTemplateException e =
        assertThrows(PromptTemplateException.class, () -> PromptTemplate.of("x {1st} y"));
    assertTrue(e.getMessage().contains("bad variable name '1st' at position 2"), e.getMessage());
    assertThrows(PromptTemplateException.class, () -> PromptTemplate.of("{}"));
  }

  @Test
  void messagesPutTheSystemPromptFirst() {
    PromptTemplate t =
        PromptTemplate.builder()
            .setTemplate("Extract every entity in: \"{text}\"")
            .optSystemPrompt("You annotate {domain} text.")
            .build();
    assertEquals(List.of("domain", "text"), t.variables());
    assertEquals(
        List.of(
            ChatMessage.system("You annotate news text."),
            ChatMessage.user("Extract every entity in: \"Apple rose.\"")),
        t.messages(Map.of("domain", "news", "text", "Apple rose.")));
  }

  @Test
  void messagesWithoutSystemPromptAreOneUserTurn() {
    assertEquals(
        List.of(ChatMessage.user("hi Ada")),
        PromptTemplate.of("hi {name}").messages(Map.of("name", "Ada")));
  }

  @Test
  void malformedSystemPromptIsNamed() {
    PromptTemplateException e =
        assertThrows(
            PromptTemplateException.class,
            () -> PromptTemplate.builder().setTemplate("ok").optSystemPrompt("{oops").build());
    assertTrue(e.getMessage().startsWith("system prompt: unclosed"), e.getMessage());
  }

  @Test
  void templateIsRequired() {
    PromptTemplateException e =
        assertThrows(PromptTemplateException.class, () -> PromptTemplate.builder().build());
    assertTrue(e.getMessage().contains("setTemplate"));
  }
}
