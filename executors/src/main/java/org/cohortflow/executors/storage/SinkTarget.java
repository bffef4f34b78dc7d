package org.cohortflow.executors.storage;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.cohortflow.dsl.validate.NetworkValidator;

/**
 * Turns a sink's url template and one output's placeholder values into the URI the output is written to,
 * and guarantees that this URI lies below the sink's base: the folder part of the template before its
 * first placeholder. Values are put in as single path segments (percent-encoded in URIs), so a value such
 * as {@code a?b} or {@code a#b} names a file instead of starting a query, and the result is checked again
 * after normalisation, so nothing a value contains can lead a write (or a folder sink's delete) out of
 * that base.
 */
public final class SinkTarget {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-z_]+)}");

    private SinkTarget() {}

    /** The sink's base: the folder of the template before its first placeholder, as an absolute URI ending in '/'. */
    public static URI base(String template) {
        int brace = template.indexOf('{');
        String head = brace < 0 ? template : template.substring(0, brace);
        String folder = head.substring(0, head.lastIndexOf('/') + 1);
        return asUri(folder, hasScheme(template)).normalize();
    }

    /**
     * The target of one output.
     *
     * @throws IllegalArgumentException when the template is not a safe sink url, or the target would not lie
     *                                  strictly below the sink's base
     */
    public static URI resolve(String template, Map<String, String> values) {
        NetworkValidator.sinkUrlProblem(template).ifPresent(p -> {
            throw new IllegalArgumentException(p);
        });
        if (NetworkValidator.isRelativeSinkUrl(template)) {
            // A run resolves relative templates against its output folder first (SinkLocations); one that gets
            // here would land wherever the process happens to run.
            throw new IllegalArgumentException("url '" + template + "' is relative; resolve it against an output folder first");
        }
        boolean uri = hasScheme(template);
        StringBuilder sb = new StringBuilder();
        Matcher m = PLACEHOLDER.matcher(template);
        int last = 0;
        while (m.find()) {
            sb.append(template, last, m.start());
            String v = values.get(m.group(1));
            if (v == null) {
                throw new IllegalArgumentException("no value for placeholder {" + m.group(1) + "} in " + template);
            }
            if (v.contains("/") || v.contains("\\") || v.equals(".") || v.equals("..")) {
                throw new IllegalArgumentException("{" + m.group(1) + "} = '" + v + "' would name another folder in " + template);
            }
            sb.append(uri ? encodeSegment(v) : v);
            last = m.end();
        }
        sb.append(template.substring(last));
        URI target = asUri(sb.toString(), uri).normalize();
        URI base = base(template);
        String t = target.toString();
        String b = base.toString();
        if (!t.startsWith(b) || t.length() == b.length() || target.getRawQuery() != null || target.getRawFragment() != null) {
            throw new IllegalArgumentException("target " + t + " is not below the sink's folder " + b);
        }
        return target;
    }

    private static boolean hasScheme(String s) {
        return s.matches("^[A-Za-z][A-Za-z0-9+.-]*:.*");
    }

    private static URI asUri(String text, boolean isUri) {
        if (isUri || hasScheme(text)) {
            return URI.create(text);
        }
        // An absolute local path: java.nio encodes what a URI cannot hold (spaces, '?', '#', '%').
        URI u = java.nio.file.Path.of(text).toUri();
        return text.endsWith("/") && !u.toString().endsWith("/") ? URI.create(u + "/") : u;
    }

    /** Percent-encodes everything but RFC 3986 unreserved characters and sub-delimiters of a path segment. */
    static String encodeSegment(String v) {
        StringBuilder sb = new StringBuilder();
        for (byte b : v.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~!$&'()*+,;=:@".indexOf(c) >= 0) {
                sb.append((char) c);
            } else {
                sb.append('%').append(String.format("%02X", c));
            }
        }
        return sb.toString();
    }
}
