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

    /**
     * The monitor pipeline runs report to: settings {@code monitor.url}, {@code monitor.token} and
     * {@code monitor.closeWait} (how long the end of a run waits for its last events to arrive; 5 s unless set).
     */
    static java.util.Optional<MonitorSettings> monitor(ServiceConfig config) {
        return config.setting("monitor.url").filter(u -> !u.isBlank()).map(u -> {
            MonitorSettings m = MonitorSettings.of(java.net.URI.create(u), config.setting("monitor.token").filter(t -> !t.isBlank()));
            return config.setting("monitor.closeWait").filter(w -> !w.isBlank())
                    .map(w -> m.withCloseWait(closeWait(w))).orElse(m);
        });
    }

    private static java.time.Duration closeWait(String text) {
        try {
            return org.cohortflow.dsl.tool.Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("settings.monitor.closeWait: " + e.getMessage(), e);
        }
    }
}
