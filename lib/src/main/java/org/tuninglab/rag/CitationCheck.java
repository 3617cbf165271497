package org.tuninglab.rag;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a reply cites: the source numbers written as {@code [2]}, {@code [1][3]} or {@code [1, 3]}.
 *
 * @param cited the distinct numbers cited, in order of first citation
 * @param unknown the cited numbers that name no source (outside {@code 1..sourceCount})
 * @param sourceCount how many sources the prompt gave
 */
public record CitationCheck(List<Integer> cited, List<Integer> unknown, int sourceCount) {
  private static final Pattern CITATION = Pattern.compile("\\[(\\d{1,6}(?:\\s*,\\s*\\d{1,6})*)]");

  public CitationCheck {
    cited = List.copyOf(cited);
    unknown = List.copyOf(unknown);
  }

  /**
   * Checks a reply.
   *
   * @param reply the model's answer
   * @param sourceCount the number of sources the prompt gave
   * @return the citations found
   */
  public static CitationCheck of(String reply, int sourceCount) {
    Set<Integer> cited = new LinkedHashSet<>();
    Matcher m = CITATION.matcher(reply);
    while (m.find()) {
      for (String n : m.group(1).split(",")) {
        cited.add(Integer.parseInt(n.strip()));
      }
    }
    List<Integer> unknown = new ArrayList<>();
    for (int n : cited) {
      if (n < 1 || n > sourceCount) {
        unknown.add(n);
      }
    }
    return new CitationCheck(new ArrayList<>(cited), unknown, sourceCount);
  }

  /** Whether the reply cites anything at all. */
  public boolean citesAny() {
    return !cited.isEmpty();
  }

  /** Whether it cites something and every citation names a given source. */
  public boolean valid() {
    return citesAny() && unknown.isEmpty();
  }
}
