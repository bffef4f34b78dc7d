package org.cohortflow.tasks.template;

/**
 * A place in a template's text, printed as {@code SOURCE:LINE:COL} so editors and terminals can jump to it.
 *
 * @param source the file name, or a description such as {@code request body}
 * @param line   1-based line
 * @param column 1-based column
 */
public record SourceLocation(String source, int line, int column) {
    @Override
    public String toString() {
        return source + ":" + line + ":" + column;
    }
}
