package org.tuninglab.tokenize;

import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/** Special token ids. */
public record SpecialTokens(OptionalInt bos, Set<Integer> eos, OptionalInt pad, OptionalInt unk, Map<String, Integer> named) {}
