package org.cohortflow.dsl.tool;

import java.util.List;

/**
 * Contributes tools to the {@link ToolRegistry}. Modules register implementations in
 * {@code META-INF/services/org.cohortflow.dsl.tool.ToolProvider}.
 */
public interface ToolProvider {
    List<ToolDefinition> tools();
}
