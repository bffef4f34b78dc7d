package org.cohortflow.dsl.yaml;

import java.util.ArrayList;
import java.util.List;

/** Collects problems while reading or checking, so that all of them are reported at once. */
public final class Problems {
    private final List<Problem> list = new ArrayList<>();

    public void add(Location where, String message) {
        list.add(new Problem(where, message));
    }

    public void addAll(List<Problem> problems) {
        list.addAll(problems);
    }

    public boolean isEmpty() {
        return list.isEmpty();
    }

    public List<Problem> list() {
        return List.copyOf(list);
    }

    /** Throws an {@link InvalidDefinitionException} when any problem was found. */
    public void throwIfAny() {
        if (!list.isEmpty()) {
            throw new InvalidDefinitionException(list);
        }
    }
}
