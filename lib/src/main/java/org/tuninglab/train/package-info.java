/** Training: the language-modelling loss, and (as the trainer lands) optimisers, schedules and loops. */
package org.tuninglab.train;
