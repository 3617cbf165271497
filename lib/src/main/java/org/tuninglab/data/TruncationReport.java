package org.tuninglab.data;

import java.util.List;

/**
 * What truncation to the max length did to a data set.
 *
 * @param examplesTruncated how many examples lost tokens
 * @param tokensCut the total number of tokens removed
 * @param completionCutEntirely the origins of examples whose trained tokens were all cut; they
 *     are left out of training, since they would teach nothing
 */
public record TruncationReport(int examplesTruncated, long tokensCut, List<String> completionCutEntirely) {

  /** Copies the list. */
  public TruncationReport {
    completionCutEntirely = List.copyOf(completionCutEntirely);
  }
}
