package org.cohortflow.tasks.template;

/**
 * A value of a submitted result that the template's form schema refuses.
 *
 * @param field   dotted path inside the result, e.g. {@code grade}; empty for the result as a whole
 * @param message what is wrong
 */
public record FieldError(String field, String message) {
}
