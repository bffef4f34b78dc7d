package org.cohortflow.dsl.yaml;

/**
 * Where a problem is: a position in a file ({@code FILE:LINE:COL}) or, for networks and tools built in
 * Java, a description of the element ("network 'demo', node 'add'") with no line.
 */
public record Location(String source, int line, int column) {

    /** A location that is not in a file, described in words. */
    public static Location described(String description) {
        return new Location(description, 0, 0);
    }

    /** True when this location points into a file. */
    public boolean inFile() {
        return line > 0;
    }

    @Override
    public String toString() {
        return inFile() ? source + ":" + line + ":" + column : source;
    }
}
