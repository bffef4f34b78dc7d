package org.cohortflow.tasks;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The task service's own settings, from the {@code settings:} section of its configuration file.
 *
 * <pre>
 * settings:
 *   dataRoots: [/data/cohorts, /data/pipeline-out]   # folders whose files tasks may show
 *   lockSeconds: 1800                                 # how long a lock lasts (renewed by the page)
 *   callbackFirstRetrySeconds: 5                      # back-off start ...
 *   callbackMaxRetrySeconds: 300                      # ... and ceiling
 *   callbackPollMillis: 1000                          # how often the outbox is looked at
 *   callbackTimeoutSeconds: 10                        # one delivery attempt
 * </pre>
 *
 * @param dataRoots          folders whose files tasks may name
 * @param lock               lock time
 * @param firstRetry         wait after the first failed callback
 * @param maxRetry           longest wait between callback attempts
 * @param poll               outbox poll interval
 * @param callbackTimeout    one attempt's time limit
 */
public record TasksSettings(List<Path> dataRoots, Duration lock, Duration firstRetry, Duration maxRetry, Duration poll,
                            Duration callbackTimeout) {
    private static final Set<String> KEYS = Set.of("dataRoots", "lockSeconds", "callbackFirstRetrySeconds",
            "callbackMaxRetrySeconds", "callbackPollMillis", "callbackTimeoutSeconds");

    public TasksSettings {
        dataRoots = List.copyOf(dataRoots);
    }

    /** Reads the settings map; unknown keys and malformed numbers are errors naming the key. */
    public static TasksSettings from(Map<String, Object> settings) {
        for (String key : settings.keySet()) {
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException("unknown tasks setting '" + key + "' (known: "
                        + String.join(", ", KEYS.stream().sorted().toList()) + ")");
            }
        }
        List<Path> roots = new ArrayList<>();
        Object r = settings.get("dataRoots");
        if (r instanceof List<?> list) {
            for (Object o : list) roots.add(Path.of(String.valueOf(o)));
        } else if (r != null) {
            roots.add(Path.of(String.valueOf(r)));
        }
        return new TasksSettings(roots,
                Duration.ofSeconds(number(settings, "lockSeconds", 1800)),
                Duration.ofSeconds(number(settings, "callbackFirstRetrySeconds", 5)),
                Duration.ofSeconds(number(settings, "callbackMaxRetrySeconds", 300)),
                Duration.ofMillis(number(settings, "callbackPollMillis", 1000)),
                Duration.ofSeconds(number(settings, "callbackTimeoutSeconds", 10)));
    }

    private static long number(Map<String, Object> settings, String key, long dflt) {
        Object v = settings.get(key);
        if (v == null) return dflt;
        try {
            long n = Long.parseLong(String.valueOf(v).trim());
            if (n <= 0) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("tasks setting '" + key + "' must be a whole number above 0, found '" + v + "'");
        }
    }
}
