package org.cohortflow.cli;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The names closest to a mistyped one, for "Did you mean ...?". picocli's own suggestions compare letter pairs, which
 * misses transpositions ({@code rnu} shares no pair with {@code run}); this uses the optimal-string-alignment
 * distance (insertions, deletions, substitutions and swaps of neighbours), as users mistype.
 */
final class Suggestions {
    private Suggestions() {
    }

    /** The candidates within a small distance of {@code typed} (at most 2, and less than half its length), closest first. */
    static List<String> closest(String typed, List<String> candidates) {
        String t = typed.toLowerCase(Locale.ROOT);
        int limit = Math.max(1, Math.min(2, (t.length() - 1) / 2));
        return candidates.stream()
                .filter(c -> distance(t, c.toLowerCase(Locale.ROOT)) <= limit || c.startsWith(t) && t.length() >= 3)
                .sorted(Comparator.comparingInt((String c) -> distance(t, c.toLowerCase(Locale.ROOT))).thenComparing(c -> c))
                .toList();
    }

    /** Optimal string alignment distance between {@code a} and {@code b}. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
