package org.cohortflow.benchmarks.cohort;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cohortflow.dsl.tool.InMemoryToolContext;
import org.cohortflow.dsl.tool.PortSpec;
import org.cohortflow.dsl.tool.ToolDefinition;
import org.cohortflow.dsl.tool.ToolId;
import org.cohortflow.dsl.tool.ToolRegistry;
import org.cohortflow.dsl.types.DataType;
import org.cohortflow.dsl.types.FileRef;
import org.cohortflow.dsl.types.ValueType;
import org.cohortflow.dsl.types.TypeRegistry;

/**
 * One job of the process-per-job baseline, as fastr runs every job: a new JVM loads the tools, reads its
 * inputs from files, runs one tool and writes each output to a file with its type's codec.
 *
 * <pre>
 * java -cp ... org.cohortflow.benchmarks.cohort.JobProcess TOOL_ID OUT_DIR SAMPLE_ID [PORT=KIND:VALUE ...]
 * </pre>
 *
 * KIND is {@code uri} (a file-typed input: a URI), {@code text} (a literal) or {@code stored} ({@code
 * stored:TYPE:PATH}, a file written by an earlier job with the codec of data type TYPE). Output {@code i} of
 * port {@code P} goes to {@code OUT_DIR/P-i.EXT}; a file-typed output stays where the tool wrote it and
 * {@code OUT_DIR/P-i.uri} names it.
 */
public final class JobProcess {
    private JobProcess() {}

    public static void main(String[] args) throws Exception {
        ToolRegistry registry = ToolRegistry.load(TypeRegistry.load(), List.of());
        ToolDefinition tool = registry.find(ToolId.parse(args[0])).orElseThrow();
        Path out = Files.createDirectories(Path.of(args[1]));
        Map<String, List<Object>> inputs = new LinkedHashMap<>();
        for (int i = 3; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            int colon = args[i].indexOf(':', eq);
            String port = args[i].substring(0, eq);
            String kind = args[i].substring(eq + 1, colon);
            String value = args[i].substring(colon + 1);
            String type = tool.input(port).map(PortSpec::type).orElseThrow(
                    () -> new IllegalArgumentException(tool.id() + " has no input " + port));
            Object v = switch (kind) {
                case "uri" -> ToolChain.file(registry, type, URI.create(value));
                case "text" -> ((ValueType) registry.types().find(type).orElseThrow()).parse(value);
                case "stored" -> ToolChain.codec(registry, value.substring(0, value.indexOf(':')))
                        .read(Path.of(value.substring(value.indexOf(':') + 1)));
                default -> throw new IllegalArgumentException("input kind " + kind + " (uri, text or stored)");
            };
            inputs.computeIfAbsent(port, k -> new ArrayList<>()).add(v);
        }
        Map<String, List<Object>> produced = new InMemoryToolContext(tool, inputs,
                Files.createDirectories(out.resolve("work")), args[2]).run();
        for (PortSpec o : tool.outputs()) {
            DataType t = registry.types().find(o.type()).orElseThrow();
            List<Object> values = produced.get(o.id());
            for (int i = 0; i < values.size(); i++) {
                if (values.get(i) instanceof FileRef f) {
                    Files.writeString(out.resolve(o.id() + "-" + i + ".uri"), f.uri() + "\n");
                } else {
                    var codec = ((ValueType) t).codec().orElseThrow();
                    codec.write(values.get(i), out.resolve(o.id() + "-" + i + codec.extension()));
                }
            }
        }
    }
}
