package org.cohortflow.tasks.template;

import java.util.List;
import java.util.stream.Collectors;

/** A template that cannot be used, with every problem found (not only the first). */
public final class InvalidTemplateException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient List<TemplateProblem> problems;

    /** @param problems at least one problem */
    public InvalidTemplateException(List<TemplateProblem> problems) {
        super(problems.stream().map(TemplateProblem::toString).collect(Collectors.joining("\n")));
        this.problems = List.copyOf(problems);
    }

    /** Every problem, in document order. */
    public List<TemplateProblem> problems() {
        return problems;
    }
}
