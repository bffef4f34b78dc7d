package org.cohortflow.benchmarks.executors;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.cohortflow.dsl.tool.InMemoryToolContext;
import org.cohortflow.dsl.tool.ToolRegistry;
import org.cohortflow.dsl.tool.ToolId;
import org.cohortflow.dsl.types.TypeRegistry;

/**
 * The process-per-job baseline: one JVM that loads the tool registry, runs one {@code basic/AddInt:1.0}
 * job and writes its result, as fastr runs every job in a new process.
 */
public final class OneJob {
    private OneJob() {}

    public static void main(String[] args) throws Exception {
        ToolRegistry tools = ToolRegistry.load(TypeRegistry.load(), List.of());
        var tool = tools.find(ToolId.parse("basic/AddInt:1.0")).orElseThrow();
        Map<String, List<Object>> out = new InMemoryToolContext(tool, Map.of("left", List.of(Long.parseLong(args[0])),
                "right", List.of(1L)), Path.of(args[1]), args[0]).run();
        Files.writeString(Path.of(args[1]).resolve(args[0] + ".txt"), out.get("result").get(0) + "\n");
    }
}
