/**
 * Views of an {@link org.tuninglab.eval.EvalResult}, apart from the result itself (as {@code
 * track.view} is for runs): the metrics table and its per-category breakdown ({@link
 * org.tuninglab.eval.view.MetricsTable}), the drill-down ({@link org.tuninglab.eval.view.DrillDown}),
 * win rates ({@link org.tuninglab.eval.view.WinRateTable}) as Tablesaw tables, and a bar chart
 * ({@link org.tuninglab.eval.view.MetricsChart}) in XChart.
 */
package org.tuninglab.eval.view;
