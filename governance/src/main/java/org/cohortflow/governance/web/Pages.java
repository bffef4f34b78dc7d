package org.cohortflow.governance.web;

import org.cohortflow.governance.api.ExperimentRoutes;
import org.cohortflow.governance.workflow.WorkflowStore;
import org.cohortflow.server.db.Database;
import org.cohortflow.server.http.Api;

/** The governor's pages for people (server-rendered HTML). */
public final class Pages {
    private final Database db;
    private final WorkflowStore workflows;
    private final ExperimentRoutes experiments;

    public Pages(Database db, WorkflowStore workflows, ExperimentRoutes experiments) {
        this.db = db;
        this.workflows = workflows;
        this.experiments = experiments;
    }

    public void register(Api api) {
    }
}
