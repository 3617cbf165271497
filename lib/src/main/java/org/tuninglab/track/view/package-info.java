/**
 * Notebook views of a run store: all runs as a Tablesaw table, metric curves of chosen runs
 * overlaid as an XChart chart, a config diff, hyperparameters against the target metric, and CSV
 * export. The kernel's display hooks render the returned tables and charts.
 */
package org.tuninglab.track.view;
