package org.cohortflow.dsl.tool;

/**
 * How many values a port takes or gives per sample: {@code 1}, {@code 0-1}, {@code 1-*}, {@code 0-*}
 * or a fixed number such as {@code 3}.
 *
 * @param max upper bound, or {@link #UNBOUNDED}
 */
public record Cardinality(int min, int max) {
    public static final int UNBOUNDED = -1;
    public static final Cardinality ONE = new Cardinality(1, 1);
    public static final Cardinality OPTIONAL = new Cardinality(0, 1);
    public static final Cardinality ONE_OR_MORE = new Cardinality(1, UNBOUNDED);
    public static final Cardinality ANY = new Cardinality(0, UNBOUNDED);

    public Cardinality {
        if (min < 0 || (max != UNBOUNDED && max < min)) {
            throw new IllegalArgumentException("invalid cardinality " + min + "-" + max);
        }
    }

    public static Cardinality exactly(int n) {
        return new Cardinality(n, n);
    }

    /** Parses {@code 1}, {@code 0-1}, {@code 1-*}, {@code *}, {@code N} or {@code M-N}. */
    public static Cardinality parse(String text) {
        String t = text.trim();
        try {
            if (t.equals("*")) {
                return ANY;
            }
            int dash = t.indexOf('-');
            if (dash < 0) {
                return exactly(Integer.parseInt(t));
            }
            int lo = Integer.parseInt(t.substring(0, dash).trim());
            String hi = t.substring(dash + 1).trim();
            return new Cardinality(lo, hi.equals("*") ? UNBOUNDED : Integer.parseInt(hi));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + text + "' is not a cardinality (use 1, 0-1, 1-*, * or a number)");
        }
    }

    public boolean isFixed() {
        return min == max;
    }

    public boolean unbounded() {
        return max == UNBOUNDED;
    }

    /** True when every count this allows is also allowed by {@code other}. */
    public boolean within(Cardinality other) {
        return min >= other.min && (other.unbounded() || (!unbounded() && max <= other.max));
    }

    /** True when {@code n} values satisfy this cardinality. */
    public boolean accepts(int n) {
        return n >= min && (unbounded() || n <= max);
    }

    /** The cardinality of the values of two links into one port. */
    public Cardinality plus(Cardinality other) {
        return new Cardinality(min + other.min, unbounded() || other.unbounded() ? UNBOUNDED : max + other.max);
    }

    @Override
    public String toString() {
        if (isFixed()) {
            return Integer.toString(min);
        }
        return min + "-" + (unbounded() ? "*" : Integer.toString(max));
    }
}
