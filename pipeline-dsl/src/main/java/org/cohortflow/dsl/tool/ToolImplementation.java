package org.cohortflow.dsl.tool;

/**
 * How a tool runs: Java code in the executor's JVM ({@link Java}), or an external program
 * ({@code CommandLineSpec}). Executors dispatch on the implementing type.
 */
public interface ToolImplementation {

    /** A tool implemented by a {@link JavaTool}. */
    record Java(JavaTool body) implements ToolImplementation {}
}
