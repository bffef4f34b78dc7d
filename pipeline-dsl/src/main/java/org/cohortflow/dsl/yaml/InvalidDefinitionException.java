package org.cohortflow.dsl.yaml;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Thrown when a tool file or network cannot be used; carries every problem found, not only the first,
 * so a user can fix them all in one pass.
 */
public class InvalidDefinitionException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final List<Problem> problems;

    public InvalidDefinitionException(List<Problem> problems) {
        super(problems.stream().map(Problem::toString).collect(Collectors.joining("\n")));
        this.problems = List.copyOf(problems);
    }

    public InvalidDefinitionException(Problem problem) {
        this(List.of(problem));
    }

    public List<Problem> problems() {
        return problems;
    }
}
