package org.cohortflow.governance;

import org.cohortflow.server.RunningService;
import org.cohortflow.server.Service;
import org.cohortflow.server.config.ServiceConfig;

/** The study governor as a {@link Service} for {@code cohortflow serve governor}. */
public final class GovernorService implements Service {

    @Override
    public String name() {
        return "governor";
    }

    @Override
    public String description() {
        return "study governor: experiments in workflows, callbacks to pipelines, tasks and webhooks";
    }

    @Override
    public RunningService start(ServiceConfig config) {
        return Governor.start(config, System.out);
    }
}
