package org.cohortflow.governance.callback;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Everything one attempt of a callback may use.
 *
 * @param executionId  the callback execution
 * @param attempt      1 for the first attempt
 * @param name         the callback's name in the workflow
 * @param args         its arguments from the workflow
 * @param secret       the per-callback secret an asynchronous answer must carry
 * @param callbackUrl  where an asynchronous answer goes (PUT or POST)
 * @param runTimeout   how long this attempt may take
 * @param experiment   the experiment's facts
 * @param workDir      a folder for this execution's files (pipeline run folders)
 */
public record CallbackRequest(long executionId, int attempt, String name, Map<String, Object> args, String secret,
                              URI callbackUrl, Duration runTimeout, ExperimentFacts experiment, Path workDir) {

    /**
     * What a callback knows about its experiment.
     *
     * @param id        experiment id
     * @param label     experiment label
     * @param subject   subject label
     * @param study     study name
     * @param state     state it is in
     * @param variables its variables
     * @param scans     its scans: maps with label, modality, kind and url
     */
    public record ExperimentFacts(long id, String label, String subject, String study, String state,
                                  Map<String, Object> variables, List<Map<String, String>> scans) {}

    /** A text argument, or {@code dflt}. */
    public String text(String arg, String dflt) {
        Object v = args.get(arg);
        return v == null ? dflt : v.toString();
    }
}
