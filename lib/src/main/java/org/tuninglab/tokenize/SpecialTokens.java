package org.tuninglab.tokenize;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The special token ids of a tokenizer.
 *
 * @param bos the beginning-of-sequence id, if the model uses one
 * @param eos every id that ends a generation (a chat model often has several, such as {@code
 *     <|im_end|>} and {@code <|endoftext|>}); may be empty
 * @param pad the padding id, if any
 * @param unk the unknown-token id, if any
 * @param named every special token's text and id, in the order the tokenizer defines them
 */
public record SpecialTokens(
    OptionalInt bos,
    Set<Integer> eos,
    OptionalInt pad,
    OptionalInt unk,
    Map<String, Integer> named) {

  /** Copies the collections so the record stays immutable and iterates in a stable order. */
  public SpecialTokens {
    Objects.requireNonNull(bos, "bos");
    Objects.requireNonNull(pad, "pad");
    Objects.requireNonNull(unk, "unk");
    eos = Collections.unmodifiableSet(new LinkedHashSet<>(eos));
    named = Collections.unmodifiableMap(new LinkedHashMap<>(named));
  }

  /**
   * Returns whether a token ends generation.
   *
   * @param id the token id
   * @return true if {@code id} is one of the EOS ids
   */
  public boolean isEos(int id) {
    return eos.contains(id);
  }

  /**
   * Returns whether a token is special: BOS, EOS, PAD, UNK or any named special token.
   *
   * @param id the token id
   * @return true if the token is special
   */
  public boolean isSpecial(int id) {
    return isEos(id) || is(bos, id) || is(pad, id) || is(unk, id) || named.containsValue(id);
  }

  /**
   * Returns the id of a named special token.
   *
   * @param text the token text, for example {@code "<|im_start|>"}
   * @return its id, or empty if the tokenizer has no such special token
   */
  public OptionalInt id(String text) {
    Integer id = named.get(text);
    return id == null ? OptionalInt.empty() : OptionalInt.of(id);
  }

  private static boolean is(OptionalInt slot, int id) {
    return slot.isPresent() && slot.getAsInt() == id;
  }
}
