package org.tuninglab.corpus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.tuninglab.data.synthetic.HandbookGenerator;
import org.tuninglab.rag.Chunk;
import org.tuninglab.rag.Document;
import org.tuninglab.rag.HeadingChunker;

/**
 * A cluster handbook of another seed ({@link HandbookGenerator}) as a {@link Manual}: its documents
 * cut by {@link HeadingChunker}, as the RAG lesson cuts the shipped one, and its labelled questions,
 * each answered by the sentence of its section that holds the answer's facts.
 */
final class HandbookManual {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern TITLE = Pattern.compile("(?m)^# (.+)$");
  private static final Pattern SENTENCE_END = Pattern.compile("(?<=[.!?])\\s+|\\n+");
  private static final Pattern FACT = Pattern.compile("[\\w$@./:~-]*\\d[\\w$@./:~-]*|[A-Z]\\w+");

  private HandbookManual() {}

  /**
   * The handbook of a seed.
   *
   * @param seed the seed, not the shipped handbook's nor a held-out one
   * @return the manual
   * @throws IllegalArgumentException if the seed is held out
   */
  static Manual of(long seed) {
    if (seed == HandbookGenerator.SEED || HeldOut.HANDBOOK_SEEDS.contains(seed)) {
      throw new IllegalArgumentException("handbook seed " + seed + " is held out of the mix");
    }
    Map<String, String> files = HandbookGenerator.files(seed);
    List<Chunk> chunks = new ArrayList<>();
    HeadingChunker chunker = HeadingChunker.create();
    files.forEach((name, text) -> {
      if (name.startsWith("docs/")) {
        String id = name.substring("docs/".length());
        Matcher title = TITLE.matcher(text);
        Document doc = new Document(id, title.find() ? title.group(1) : id, text, name,
            Map.of("format", "markdown"));
        chunks.addAll(chunker.chunk(doc));
      }
    });
    List<Manual.Question> questions = new ArrayList<>();
    for (String line : files.get("questions.jsonl").split("\n")) {
      JsonNode q = parse(line);
      String chunkId = q.get("relevant").get(0).asText();
      Chunk chunk = chunks.stream().filter(c -> c.id().equals(chunkId)).findFirst()
          .orElseThrow(() -> new IllegalStateException("seed " + seed + ": no chunk " + chunkId));
      String answer = q.get("answer").asText();
      questions.add(new Manual.Question(q.get("question").asText(), chunkId,
          answeringSentence(chunk.text(), answer)));
    }
    return new Manual(chunks, questions);
  }

  /**
   * The sentence of a section that holds every fact of the answer (its numbers, identifiers and
   * names), or the answer itself when no one sentence does.
   */
  static String answeringSentence(String section, String answer) {
    List<String> facts = new ArrayList<>();
    Matcher m = FACT.matcher(answer);
    while (m.find()) {
      facts.add(m.group().replaceAll("[.:]+$", ""));
    }
    for (String sentence : SENTENCE_END.split(section)) {
      String s = sentence.strip();
      if (!s.isEmpty() && !s.startsWith("#") && facts.stream().allMatch(s::contains)) {
        return s;
      }
    }
    return answer;
  }

  private static JsonNode parse(String line) {
    try {
      return JSON.readTree(line);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
