package org.tuninglab.corpus;

import java.util.List;
import java.util.SplittableRandom;
import org.tuninglab.data.synthetic.Lexicon;
import org.tuninglab.data.synthetic.StoryGenerator;
import org.tuninglab.tokenize.ChatMessage;

/**
 * Story-telling chats for the practice set (stage 5): a request for a story answered with one of
 * the story corpus's stories. Training on answers alone never sees the mix's plain stories:
 * without these, practice took the model's story holdout loss from 1.9 to 3.2 (5.1 at a higher
 * learning rate); told as answers, the stories are rehearsed token for token.
 */
final class StoryChatGenerator {
  /** The requests. */
  static final List<String> REQUESTS =
      List.of(
          "Tell me a story.",
          "Tell me a short story.",
          "Can you tell me a story?",
          "Please tell me a story for a child.",
          "Write a short story.",
          "I would like to hear a story.");

  private final SplittableRandom rng;
  private final StoryGenerator stories;

  /**
   * A generator.
   *
   * @param seed the seed of the requests
   * @param stories the stories told, in order
   */
  StoryChatGenerator(long seed, StoryGenerator stories) {
    this.rng = new SplittableRandom(seed);
    this.stories = stories;
  }

  /** The next chat, rendered as pretraining text. */
  String next() {
    return ChatText.of(List.of(ChatMessage.user(Lexicon.pick(REQUESTS, rng))), stories.next());
  }
}
