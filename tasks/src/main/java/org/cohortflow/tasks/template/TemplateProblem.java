package org.cohortflow.tasks.template;

/**
 * One thing wrong with a template: where it is, the JSON path of the offending value (for API clients
 * that highlight a field), and what is wrong.
 *
 * @param where   position in the template's text
 * @param path    dotted path of the value, e.g. {@code images[1].opacity}; empty for the whole document
 * @param message what is wrong, in words
 */
public record TemplateProblem(SourceLocation where, String path, String message) {
    @Override
    public String toString() {
        return where + ": " + (path.isEmpty() ? "" : path + ": ") + message;
    }
}
