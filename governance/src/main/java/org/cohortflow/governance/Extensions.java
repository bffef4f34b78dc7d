package org.cohortflow.governance;

import java.util.List;
import org.cohortflow.governance.callback.CallbackType;
import org.cohortflow.governance.callback.PipelineCallback;
import org.cohortflow.executors.monitor.MonitorSettings;
import org.cohortflow.server.config.ServiceConfig;

/** Callback types beyond http and task, which need more of the machine (the pipeline runner). */
final class Extensions {
    private Extensions() {}

    static List<CallbackType> callbackTypes(ServiceConfig config) {
        java.nio.file.Path root = java.nio.file.Path.of(config.setting("pipelines.root").orElse(".")).toAbsolutePath();
        return List.of(new PipelineCallback(root, config.setting("pipelines.executor").orElse("local"),
                config.setting("pipelines.master").orElse("local[2]"), monitor(config)));
    }

    /** The monitor pipeline runs report to: settings {@code monitor.url} and {@code monitor.token}. */
    static java.util.Optional<MonitorSettings> monitor(ServiceConfig config) {
        return config.setting("monitor.url").filter(u -> !u.isBlank()).map(u -> MonitorSettings.of(java.net.URI.create(u),
                config.setting("monitor.token").filter(t -> !t.isBlank())));
    }
}
