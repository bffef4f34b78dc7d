package org.cohortflow.dsl.tool;

import java.io.Serializable;

/**
 * The body of a tool written in Java. It must be pure (its outputs depend only on its inputs) and
 * serialisable, so that an executor can run it on any machine of a cluster and cache its results.
 */
@FunctionalInterface
public interface JavaTool extends Serializable {
    void run(ToolContext context) throws Exception;
}
