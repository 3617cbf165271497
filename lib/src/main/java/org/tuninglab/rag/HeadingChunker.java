package org.tuninglab.rag;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits markdown at its ATX headings ({@code #} to {@code ######}, outside fenced code; underlined
 * setext headings are not recognised): each section
 * runs from its heading line to the next heading and keeps the path of headings above it. A
 * section with no text under its heading is left out (its heading still labels the sections
 * below). Non-markdown documents become one chunk each.
 *
 * <p>Chunk ids are the document id, {@code #}, and the slugs of the heading path joined by
 * {@code /} (the document's title heading left out; {@code top} for text under it alone), so a
 * labelled question can name a section: {@code storage.md#scratch/quotas}. A repeated path gets
 * {@code -2}, {@code -3}. With {@link Builder#optMaxTokens} a longer section is cut further into
 * token windows, numbered {@code ~1}, {@code ~2}, ...
 */
public final class HeadingChunker implements Chunker {
  private static final Pattern HEADING = Pattern.compile("^(#{1,6})[ \\t]+(.*?)[ \\t#]*$");

  private final TokenChunker splitter;

  private HeadingChunker(Builder b) {
    this.splitter = b.splitter;
  }

  /** A heading chunker that never cuts a section. */
  public static HeadingChunker create() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public List<Chunk> chunk(Document document) {
    String text = document.text();
    List<Chunk> chunks = new ArrayList<>();
    Set<String> used = new HashSet<>();
    if (!document.isMarkdown()) {
      int end = stripEnd(text, 0, text.length());
      add(chunks, document, document.id(), List.of(), 0, end);
      return chunks;
    }
    List<String> path = new ArrayList<>();
    List<Integer> levels = new ArrayList<>();
    List<String> sectionPath = List.of();
    int sectionStart = 0;
    int headingEnd = 0; // end of the current section's heading line
    boolean inFence = false;
    int pos = 0;
    while (pos <= text.length()) {
      int nl = text.indexOf('\n', pos);
      int lineEnd = nl < 0 ? text.length() : nl;
      String line = text.substring(pos, lineEnd);
      String trimmed = line.strip();
      if (trimmed.startsWith("```") || trimmed.startsWith("~~~")) {
        inFence = !inFence;
      }
      Matcher m = inFence ? null : HEADING.matcher(line);
      if (m != null && m.matches()) {
        emit(chunks, used, document, sectionPath, sectionStart, headingEnd, pos);
        int level = m.group(1).length();
        while (!levels.isEmpty() && levels.get(levels.size() - 1) >= level) {
          levels.remove(levels.size() - 1);
          path.remove(path.size() - 1);
        }
        levels.add(level);
        path.add(m.group(2));
        sectionPath = List.copyOf(path);
        sectionStart = pos;
        headingEnd = lineEnd;
      }
      if (nl < 0) {
        break;
      }
      pos = nl + 1;
    }
    emit(chunks, used, document, sectionPath, sectionStart, headingEnd, text.length());
    return chunks;
  }

  private void emit(List<Chunk> chunks, Set<String> used, Document document, List<String> path,
      int start, int headingEnd, int end) {
    String text = document.text();
    if (text.substring(headingEnd, end).isBlank()) {
      return; // a heading with nothing under it, or blank text before the first heading
    }
    int from = start;
    while (from < end && Character.isWhitespace(text.charAt(from))) {
      from++;
    }
    String base = document.id() + "#" + slugPath(path, document.title());
    String id = base;
    for (int n = 2; !used.add(id); n++) {
      id = base + "-" + n;
    }
    add(chunks, document, id, path, from, stripEnd(text, from, end));
  }

  private void add(List<Chunk> chunks, Document document, String id, List<String> path, int start,
      int end) {
    String text = document.text();
    List<int[]> windows = splitter == null
        ? List.<int[]>of()
        : splitter.windows(text.substring(start, end), start);
    if (windows.size() <= 1) {
      chunks.add(new Chunk(id, document.id(), document.title(), path, text.substring(start, end),
          start, end, document.metadata()));
      return;
    }
    for (int i = 0; i < windows.size(); i++) {
      int[] w = windows.get(i);
      chunks.add(new Chunk(id + "~" + (i + 1), document.id(), document.title(), path,
          text.substring(w[0], w[1]), w[0], w[1], document.metadata()));
    }
  }

  private static int stripEnd(String text, int start, int end) {
    while (end > start && Character.isWhitespace(text.charAt(end - 1))) {
      end--;
    }
    return end;
  }

  private static String slugPath(List<String> path, String title) {
    List<String> slugs = new ArrayList<>();
    for (int i = 0; i < path.size(); i++) {
      if (i == 0 && path.get(i).equals(title)) {
        continue;
      }
      slugs.add(slug(path.get(i)));
    }
    return slugs.isEmpty() ? "top" : String.join("/", slugs);
  }

  /** Lowercase letters and digits, other runs of characters as one dash. */
  static String slug(String heading) {
    String s = heading.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}]+", "-");
    s = s.replaceAll("^-+|-+$", "");
    return s.isEmpty() ? "section" : s;
  }

  /** Builds a {@link HeadingChunker}. */
  public static final class Builder {
    private TokenChunker splitter;

    private Builder() {}

    /**
     * Cuts sections longer than {@code maxTokens} into windows of that many tokens.
     *
     * @param counter what counts as a token
     * @param maxTokens the largest section kept whole
     * @param overlap tokens each window shares with the one before
     * @return this builder
     */
    public Builder optMaxTokens(TokenCounter counter, int maxTokens, int overlap) {
      this.splitter = TokenChunker.builder()
          .setCounter(counter).setChunkSize(maxTokens).optOverlap(overlap).build();
      return this;
    }

    public HeadingChunker build() {
      return new HeadingChunker(this);
    }
  }
}
