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
                config.setting("pipelines.master").orElse("local[2]"), sparkProperties(config), monitor(config)));
    }

    /**
     * Spark properties for the governor's pipeline runs, from {@code settings.pipelines.spark}, e.g.
     * {@code spark.driver.host} so that executors on other machines reach the governor's driver. Each key must be
     * a Spark property ({@code spark.*}) with a single value: anything else is refused naming the key, since a
     * misspelt property would otherwise be passed to Spark and ignored there.
     */
    static java.util.Map<String, String> sparkProperties(ServiceConfig config) {
        Object pipelines = config.settings().get("pipelines");
        if (!(pipelines instanceof java.util.Map<?, ?> p) || !p.containsKey("spark")) {
            return java.util.Map.of();
        }
        if (!(p.get("spark") instanceof java.util.Map<?, ?> spark)) {
            throw new IllegalArgumentException("settings.pipelines.spark must be a mapping of Spark properties, e.g. "
                    + "{spark.driver.host: governor.example.org}, found '" + p.get("spark") + "'");
        }
        java.util.Map<String, String> properties = new java.util.LinkedHashMap<>();
        spark.forEach((k, v) -> {
            String key = String.valueOf(k);
            if (!key.startsWith("spark.")) {
                throw new IllegalArgumentException("settings.pipelines.spark." + key
                        + ": not a Spark property (Spark properties start with 'spark.')");
            }
            if (v == null || v instanceof java.util.Map || v instanceof List) {
                throw new IllegalArgumentException("settings.pipelines.spark." + key + ": needs one value, found '" + v + "'");
            }
            properties.put(key, v.toString());
        });
        return java.util.Map.copyOf(properties);
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
