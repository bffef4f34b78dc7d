package org.cohortflow.executors.report.html;

import java.util.Locale;

/**
 * Text for HTML and SVG: escaping and locale-independent number formats.
 *
 * <p>The services' pages escape with {@code org.cohortflow.server.http.Html.escape}, the same rules: the two
 * modules may not depend on each other (DESIGN's module table), and the one module below both, pipeline-dsl, is
 * about pipelines, not HTML. Change both together.
 */
public final class Html {
    private Html() {}

    /** {@code s} as text content or an attribute value in double quotes; null as empty. */
    public static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /** {@link String#format} with the root locale, so that pages read the same on every machine. */
    public static String fmt(String pattern, Object... args) {
        return String.format(Locale.ROOT, pattern, args);
    }

    /** A number with {@code decimals} decimals. */
    public static String fixed(double v, int decimals) {
        return fmt("%." + decimals + "f", v);
    }

    /** A share (0..1) as a whole percentage. */
    public static String percent(double share) {
        return fmt("%.0f %%", 100 * share);
    }

    /** Milliseconds as seconds with two decimals, e.g. {@code 1.25 s}. */
    public static String seconds(long millis) {
        return fmt("%.2f s", millis / 1000.0);
    }
}
