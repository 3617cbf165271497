package org.tuninglab.preference;

/**
 * One thing a run's curves show.
 *
 * @param symptom what was recognised
 * @param sentence what it means and what to try, in plain words with the run's numbers
 */
public record Finding(Symptom symptom, String sentence) {}
