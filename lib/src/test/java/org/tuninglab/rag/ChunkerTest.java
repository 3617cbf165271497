package org.tuninglab.rag;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tuninglab.testing.CharTokenizer;
import org.tuninglab.tokenize.HfTokenizer;
import org.tuninglab.tokenize.SpecialTokens;
import org.tuninglab.tokenize.TextTokenizer;

class ChunkerTest {

  private static Document text(String id, String text) {
    return new Document(id, id, text, id, Map.of("format", "text"));
  }

  private static Document markdown(String id, String title, String text) {
    return new Document(id, title, text, id, Map.of("format", "markdown"));
  }

  @Test
  void wordWindowsOverlapExactly() {
    Document d = text("d", "w0 w1  w2\nw3 w4 w5 w6 w7 w8 w9");
    TokenChunker chunker = TokenChunker.builder()
        .setCounter(new WordCounter()).setChunkSize(4).optOverlap(1).build();
    List<Chunk> chunks = chunker.chunk(d);
    assertEquals(List.of("w0 w1  w2\nw3", "w3 w4 w5 w6", "w6 w7 w8 w9"),
        chunks.stream().map(Chunk::text).toList());
    assertEquals(List.of("d#0", "d#1", "d#2"), chunks.stream().map(Chunk::id).toList());
    for (Chunk c : chunks) {
      assertEquals(c.text(), d.text().substring(c.start(), c.end()));
    }
    // A last window that would only repeat the overlap is not made; a short tail is kept.
    assertEquals(List.of("w0 w1 w2", "w2 w3"), TokenChunker.builder().setCounter(new WordCounter())
        .setChunkSize(3).optOverlap(1).build().chunk(text("e", "w0 w1 w2 w3"))
        .stream().map(Chunk::text).toList());
    assertEquals(List.of(), chunker.chunk(text("blank", "  \n ")));
  }

  @Test
  void badSettingsAreErrors() {
    assertThrows(IllegalArgumentException.class, () -> TokenChunker.builder()
        .setCounter(new WordCounter()).setChunkSize(4).optOverlap(4).build());
    assertThrows(IllegalArgumentException.class, () -> TokenChunker.builder()
        .setCounter(new WordCounter()).setChunkSize(0).build());
    assertThrows(IllegalStateException.class, () -> TokenChunker.builder().setChunkSize(3).build());
  }

  @Test
  void modelTokenWindowsOverlapExactly() throws Exception {
    Path dir = Path.of(ChunkerTest.class.getResource("/tokenize/bpe").toURI());
    try (HfTokenizer tokenizer = HfTokenizer.load(dir)) {
      TokenizerCounter counter = new TokenizerCounter(tokenizer);
      String s = "the cat sat on the mat and then the cat ran off to the hat";
      int[] ids = tokenizer.encode(s, false);
      assertEquals(ids.length, counter.count(s));
      TokenSpans spans = counter.spans(s);
      for (int i = 0; i < ids.length; i++) {
        // Each span is the token's own text, without the space a BPE token starts with.
        assertEquals(tokenizer.decode(new int[] {ids[i]}, false).strip(),
            s.substring(spans.start(i), spans.end(i)), "token " + i);
      }
      List<Chunk> chunks = TokenChunker.builder().setCounter(counter).setChunkSize(8)
          .optOverlap(3).build().chunk(text("d", s));
      int first = 0;
      for (Chunk c : chunks) {
        int last = Math.min(first + 8, ids.length);
        assertEquals(tokenizer.decode(Arrays.copyOfRange(ids, first, last), false).strip(),
            c.text());
        first += 5;
      }
      assertTrue(chunks.size() >= 3, chunks.toString());
      assertArrayEquals(new int[0], tokenizer.encode("", false));
    }
  }

  @Test
  void aTokenizerThatNormalisesIsRefused() {
    CharTokenizer chars = new CharTokenizer();
    TextTokenizer lowercasing = new TextTokenizer() {
      @Override
      public int[] encode(String text, boolean addSpecialTokens) {
        return chars.encode(text.toLowerCase(java.util.Locale.ROOT), addSpecialTokens);
      }

      @Override
      public String decode(int[] ids, boolean skipSpecialTokens) {
        return chars.decode(ids, skipSpecialTokens);
      }

      @Override
      public int vocabSize() {
        return chars.vocabSize();
      }

      @Override
      public SpecialTokens specialTokens() {
        return chars.specialTokens();
      }

      @Override
      public String tokenText(int id) {
        return chars.tokenText(id);
      }
    };
    TokenizerCounter counter = new TokenizerCounter(lowercasing);
    assertEquals(5, counter.spans("hello").size());
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> counter.spans("Hello"));
    assertTrue(e.getMessage().contains("use a WordCounter"), e.getMessage());
  }

  @Test
  void headingsGivePathsIdsAndOffsets() {
    String md = """
        Preamble before any heading.

        # Handbook

        Intro under the title.

        ## Storage

        ### Scratch

        Purged after 30 days.

        ```
        # not a heading inside code
        ```

        ### Home ###

        Backed up nightly.

        ## Storage

        Second section with the same heading.

        ## Empty
        """;
    Document d = markdown("guide.md", "Handbook", md);
    List<Chunk> chunks = HeadingChunker.create().chunk(d);
    assertEquals(List.of("guide.md#top", "guide.md#top-2", "guide.md#storage/scratch",
        "guide.md#storage/home", "guide.md#storage"), chunks.stream().map(Chunk::id).toList());
    assertEquals(List.of(List.of(), List.of("Handbook"), List.of("Handbook", "Storage", "Scratch"),
        List.of("Handbook", "Storage", "Home"), List.of("Handbook", "Storage")),
        chunks.stream().map(Chunk::headingPath).toList());
    assertEquals("### Scratch\n\nPurged after 30 days.\n\n```\n# not a heading inside code\n```",
        chunks.get(2).text());
    assertEquals("Handbook > Storage > Scratch", chunks.get(2).label());
    for (Chunk c : chunks) {
      assertEquals(c.text(), md.substring(c.start(), c.end()));
      assertEquals("guide.md", c.documentId());
    }
    assertEquals(chunks, HeadingChunker.create().chunk(d), "ids and chunks are stable");
  }

  @Test
  void longSectionsAreCutAndPlainTextIsOneChunk() {
    Document d = markdown("m.md", "M", "# M\n\n## Long\n\none two three four five six seven\n");
    List<Chunk> chunks = HeadingChunker.builder().optMaxTokens(new WordCounter(), 4, 1).build()
        .chunk(d);
    assertEquals(List.of("m.md#long~1", "m.md#long~2", "m.md#long~3"),
        chunks.stream().map(Chunk::id).toList());
    assertEquals(List.of("## Long\n\none two", "two three four five", "five six seven"),
        chunks.stream().map(Chunk::text).toList());
    assertEquals(List.of("M", "Long"), chunks.get(1).headingPath());

    List<Chunk> plain = HeadingChunker.create().chunk(text("notes.txt", "# not markdown\nbody\n"));
    assertEquals(1, plain.size());
    assertEquals("notes.txt", plain.get(0).id());
    assertEquals("# not markdown\nbody", plain.get(0).text());
  }
}
