package org.tuninglab.track;

import java.util.List;
import java.util.Map;

/**
 * What a run is, written once to {@code run.json} when it starts.
 *
 * @param id unique id, also the run's folder name
 * @param name human-readable name (defaults to the id)
 * @param created start time, epoch milliseconds
 * @param config the hyperparameters and settings, as nested JSON-like maps
 * @param git the source revision, or null outside a git checkout
 * @param environment Java / DJL / PyTorch / device / host
 * @param datasets fingerprints of the data sets read
 * @param sweep the sweep this run is a trial of, or null
 * @param trial the trial number within the sweep, or null
 */
public record RunMeta(
    String id,
    String name,
    long created,
    Map<String, Object> config,
    GitInfo git,
    Environment environment,
    List<DatasetFingerprint> datasets,
    String sweep,
    Integer trial) {}
