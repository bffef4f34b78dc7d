package org.cohortflow.archive.dicomweb;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The parameters of a QIDO-RS search (PS3.18 8.3.4): attribute matches ({@code Modality=CT},
 * {@code StudyDate=20200101-20201231}, wildcards {@code *} and {@code ?}), extra fields to return, and paging
 * ({@code limit}, {@code offset}). Immutable; each {@code with...} returns a copy.
 *
 * @param matches      attribute keyword or tag to the value to match
 * @param includeFields attribute keywords or tags to return beyond the level's defaults
 * @param limit        at most this many results (0 = the archive's default)
 * @param offset       skip this many results
 */
public record QidoQuery(Map<String, String> matches, List<String> includeFields, int limit, int offset) {
    public QidoQuery {
        matches = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(matches));
        includeFields = List.copyOf(includeFields);
        if (limit < 0 || offset < 0) throw new IllegalArgumentException("limit and offset must be >= 0");
    }

    /** A search that matches everything. */
    public static QidoQuery all() {
        return new QidoQuery(Map.of(), List.of(), 0, 0);
    }

    /** This query also matching {@code attribute} (keyword such as {@code Modality}, or tag) against {@code value}. */
    public QidoQuery with(String attribute, String value) {
        Map<String, String> m = new LinkedHashMap<>(matches);
        m.put(attribute, value);
        return new QidoQuery(m, includeFields, limit, offset);
    }

    /** This query also returning {@code attributes}. */
    public QidoQuery including(String... attributes) {
        List<String> f = new ArrayList<>(includeFields);
        for (String a : attributes) if (!f.contains(a)) f.add(a);
        return new QidoQuery(matches, f, limit, offset);
    }

    /** One page of this query. */
    public QidoQuery page(int limit, int offset) {
        return new QidoQuery(matches, includeFields, limit, offset);
    }

    /** The URL query string, without the leading {@code ?}; empty when there is nothing to say. */
    public String toQueryString() {
        StringJoiner j = new StringJoiner("&");
        matches.forEach((k, v) -> j.add(enc(k) + "=" + enc(v)));
        includeFields.forEach(f -> j.add("includefield=" + enc(f)));
        if (limit > 0) j.add("limit=" + limit);
        if (offset > 0) j.add("offset=" + offset);
        return j.toString();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20").replace("%2A", "*");
    }

    @Override
    public String toString() {
        String q = toQueryString();
        return q.isEmpty() ? "(all)" : q;
    }
}
