package org.cohortflow.dsl.tool;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as people write them in tool files and on the command line: {@code 30s}, {@code 10m},
 * {@code 2h}, {@code 500ms}; a bare number means seconds. One reader for every place a duration is given
 * (a tool's {@code timeout:}, {@code cohortflow run --timeout} and {@code --wait}), so they all accept the same.
 */
public final class Durations {
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)?", Pattern.CASE_INSENSITIVE);

    private Durations() {}

    /**
     * Parses a positive duration.
     *
     * @throws IllegalArgumentException naming the text: not a duration, zero, or out of range
     */
    public static Duration parse(String text) {
        Matcher m = DURATION.matcher(text == null ? "" : text.trim());
        if (!m.matches() || m.group(1).chars().allMatch(c -> c == '0')) {
            throw new IllegalArgumentException("'" + text + "' is not a duration such as 30s, 10m or 2h");
        }
        String unit = m.group(2) == null ? "s" : m.group(2).toLowerCase(Locale.ROOT);
        // Durations are kept in milliseconds where they are enforced, so that is the bound.
        long perUnit = switch (unit) {
            case "ms" -> 1;
            case "m" -> 60_000;
            case "h" -> 3_600_000;
            default -> 1_000;
        };
        long n;
        try {
            n = Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
            n = Long.MAX_VALUE;
        }
        if (n > Long.MAX_VALUE / perUnit) {
            throw new IllegalArgumentException("'" + text + "' is out of range (at most " + Long.MAX_VALUE / 3_600_000 + "h)");
        }
        return Duration.ofMillis(n * perUnit);
    }
}
