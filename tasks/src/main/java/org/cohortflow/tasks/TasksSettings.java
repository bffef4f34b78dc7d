package org.cohortflow.tasks;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.cohortflow.tasks.images.DicomWebLogin;

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
 *   dicomWeb:                                         # credentials for DICOMweb archives task images name
 *     - {url: "http://pacs:8042/dicom-web", user: viewer, password: secret}
 * </pre>
 *
 * @param dataRoots          folders whose files tasks may name
 * @param lock               lock time
 * @param firstRetry         wait after the first failed callback
 * @param maxRetry           longest wait between callback attempts
 * @param poll               outbox poll interval
 * @param callbackTimeout    one attempt's time limit
 * @param dicomWeb           credentials per DICOMweb archive root
 */
public record TasksSettings(List<Path> dataRoots, Duration lock, Duration firstRetry, Duration maxRetry, Duration poll,
                            Duration callbackTimeout, List<DicomWebLogin> dicomWeb) {
    private static final Set<String> KEYS = Set.of("dataRoots", "lockSeconds", "callbackFirstRetrySeconds",
            "callbackMaxRetrySeconds", "callbackPollMillis", "callbackTimeoutSeconds", "dicomWeb");

    public TasksSettings {
        dataRoots = List.copyOf(dataRoots);
        dicomWeb = List.copyOf(dicomWeb);
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
                Duration.ofSeconds(number(settings, "callbackTimeoutSeconds", 10)),
                logins(settings.get("dicomWeb")));
    }

    private static List<DicomWebLogin> logins(Object value) {
        List<DicomWebLogin> out = new ArrayList<>();
        if (value == null) return out;
        if (!(value instanceof List<?> list)) {
            throw new IllegalArgumentException("tasks setting 'dicomWeb' must be a list of {url, user, password}");
        }
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof Map<?, ?> m) || !(m.get("url") instanceof String url) || !(m.get("user") instanceof String user)
                    || m.get("password") == null || !Set.of("url", "user", "password").containsAll(m.keySet())) {
                throw new IllegalArgumentException("tasks setting 'dicomWeb[" + i + "]' must be {url, user, password}");
            }
            java.net.URI uri = java.net.URI.create(url);
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
                throw new IllegalArgumentException("tasks setting 'dicomWeb[" + i + "].url' must be an http(s) URL, found '" + url + "'");
            }
            out.add(new DicomWebLogin(uri, user, String.valueOf(m.get("password"))));
        }
        return out;
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
