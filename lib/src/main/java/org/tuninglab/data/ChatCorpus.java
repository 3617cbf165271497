package org.tuninglab.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.tuninglab.tokenize.ChatMessage;

/**
 * The conversations of a corpus file of rendered ChatML chats (documents ended by a separator
 * line, as the pretraining mix is written), for supervised fine-tuning on them: each chat becomes
 * a {@link Conversation} whose assistant turns are trained, so the same file can pretrain a model
 * on every token and then tune it on the answers alone. Documents without a turn (plain text) are
 * skipped; a chat with text outside its turns, an unknown role or no answer to train fails naming
 * the file and the document's first line.
 */
public final class ChatCorpus {
  private static final String TURN_START = "<|im_start|>";
  private static final Pattern TURN =
      Pattern.compile("<\\|im_start\\|>(\\w+)\\n(.*?)<\\|im_end\\|>\\n?", Pattern.DOTALL);

  private ChatCorpus() {}

  /**
   * Reads the chats of a corpus file.
   *
   * @param file the file
   * @param separator the line that ends each document, for example {@code <|endoftext|>}
   * @return one conversation per chat document, in file order
   * @throws DatasetFormatException if a chat is malformed, or the file holds no chat
   * @throws IOException if the file cannot be read
   */
  public static List<Example> load(Path file, String separator) throws IOException {
    List<Example> out = new ArrayList<>();
    for (TextCorpus.Document d : TextCorpus.numberedDocuments(file, separator)) {
      if (!d.text().contains(TURN_START)) {
        continue;
      }
      try {
        List<ChatMessage> turns = turns(d.text());
        int empty = Conversation.firstEmptyAnswer(turns);
        if (empty >= 0) {
          throw new DatasetFormatException(file, d.line(), "turn " + (empty + 1),
              Conversation.EMPTY_ANSWER);
        }
        out.add(new Conversation(turns, Map.of(), file.getFileName() + ":" + d.line()));
      } catch (IllegalArgumentException e) {
        throw new DatasetFormatException(file, d.line(), "(document)", e.getMessage());
      }
    }
    if (out.isEmpty()) {
      throw new DatasetFormatException(file, 1, "(file)",
          "no chat: expected documents of <|im_start|>role ... <|im_end|> turns");
    }
    return out;
  }

  /**
   * A rendered chat read back into its turns.
   *
   * @param chat turns of the form {@code <|im_start|>role\ncontent<|im_end|>}, each optionally
   *     followed by a newline, and nothing else
   * @return the turns, in order
   * @throws IllegalArgumentException if there is text between, before or after the turns
   */
  public static List<ChatMessage> turns(String chat) {
    List<ChatMessage> out = new ArrayList<>();
    Matcher m = TURN.matcher(chat);
    int end = 0;
    while (m.find()) {
      if (m.start() != end) {
        throw new IllegalArgumentException("text outside the turns at character " + end
            + ": expected only <|im_start|>role ... <|im_end|> turns");
      }
      out.add(new ChatMessage(m.group(1), m.group(2)));
      end = m.end();
    }
    if (end != chat.length()) {
      throw new IllegalArgumentException("text after the last turn at character " + end
          + ": expected only <|im_start|>role ... <|im_end|> turns");
    }
    return out;
  }
}
