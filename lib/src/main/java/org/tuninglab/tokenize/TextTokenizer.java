package org.tuninglab.tokenize;

/** Turns text into token ids and back; the one tokenizer view the rest of the library uses. */
public interface TextTokenizer {

    /**
     * Encodes text into token ids.
     *
     * @param text the text
     * @param addSpecialTokens whether to add the tokens the tokenizer adds around a sequence (for
     *     example a leading BOS); chat-formatted text usually carries its own and passes false
     * @return the token ids
     */
    int[] encode(String text, boolean addSpecialTokens);

    /**
     * Decodes token ids into text.
     *
     * @param ids the token ids, each in {@code [0, vocabSize())}
     * @param skipSpecialTokens whether to leave special tokens (BOS, EOS, chat markers) out
     * @return the text
     * @throws IllegalArgumentException if an id is outside the vocabulary
     */
    String decode(int[] ids, boolean skipSpecialTokens);

    /**
     * Returns the number of token ids, added tokens included (the largest id plus one).
     *
     * @return the vocabulary size
     */
    int vocabSize();

    /**
     * Returns the special token ids.
     *
     * @return the special tokens
     */
    SpecialTokens specialTokens();

    /**
     * Returns the raw vocabulary piece of a token, as stored by the tokenizer (for example {@code
     * "Ġworld"} or {@code "<0x0A>"}), for inspection tables.
     *
     * @param id the token id
     * @return the piece
     * @throws IllegalArgumentException if the id is outside the vocabulary
     */
    String tokenText(int id);
}
