package org.cohortflow.server.http;

/**
 * Small helpers for server-rendered pages.
 *
 * <p>The executors' run reports escape with their own {@code org.cohortflow.executors.report.html.Html.esc}, the
 * same rules: the two modules may not depend on each other (DESIGN's module table), and the one module below both,
 * pipeline-dsl, is about pipelines, not HTML. Change both together.
 */
public final class Html {
    private Html() {}

    /** Escapes text for HTML element content and attribute values. */
    public static String escape(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    /** A whole page with the kit's plain stylesheet. */
    public static String page(String title, String body) {
        return "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + escape(title) + "</title>"
                + "<style>body{font-family:sans-serif;margin:2em;color:#222;background:#fff}"
                + "table{border-collapse:collapse}td,th{border:1px solid #bbb;padding:4px 8px;text-align:left}"
                + "th{background:#e8eef7}.ok{color:#176117}.bad{color:#a11}nav a{margin-right:1em}"
                + "button{background:#2457a6;color:#fff;border:0;padding:6px 12px;border-radius:3px}</style>"
                + "</head><body>" + body + "</body></html>";
    }
}
