package org.cohortflow.dsl.yaml;

/** One error found while reading or checking a tool or a network, with where it is. */
public record Problem(Location location, String message) {

    /** The form printed to users: {@code FILE:LINE:COL: message} or {@code element: message}. */
    @Override
    public String toString() {
        return location + ": " + message;
    }
}
