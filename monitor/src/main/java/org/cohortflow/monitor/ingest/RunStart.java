package org.cohortflow.monitor.ingest;

import java.time.Instant;
import org.cohortflow.server.http.InvalidFieldException;

/**
 * What a reporter sends when a run starts ({@code PUT /api/v1/runs/{key}}).
 *
 * @param name      the run's name (its run id, the run folder's name)
 * @param network   the network being run
 * @param executor  {@code local} or {@code spark}, or null when not known yet
 * @param runDir    URI of the run folder, or null
 * @param host      the driver's host name, or null
 * @param startedAt when the run started, or null for now
 */
public record RunStart(String name, NetworkModel network, String executor, String runDir, String host, Instant startedAt) {

    public RunStart {
        InvalidFieldException.requireText(name, "name");
        InvalidFieldException.require(network, "network");
        if (name.length() > 200) {
            throw new InvalidFieldException("name", "'name' must be at most 200 characters");
        }
    }
}
