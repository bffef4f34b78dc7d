package org.cohortflow.executors;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.cohortflow.dsl.network.Constant;
import org.cohortflow.dsl.network.Network;
import org.cohortflow.dsl.network.Node;
import org.cohortflow.dsl.tool.PortSpec;
import org.cohortflow.dsl.tool.ToolDefinition;
import org.cohortflow.dsl.tool.ToolRegistry;
import org.cohortflow.dsl.types.DataType;
import org.cohortflow.dsl.types.FileType;

/**
 * Literals of file types in a network file (a constant or parameter such as {@code settings: ct.yaml})
 * name files. A relative path means relative to the network file's folder, so a network and the files
 * it names can be moved together; URIs and absolute paths are kept as they are.
 */
public final class FileLiterals {
    private FileLiterals() {}

    /** {@code network} with every relative file literal made an absolute {@code file:} URI under {@code base}. */
    public static Network resolve(Network network, ToolRegistry tools, Path base) {
        List<Constant> constants = new ArrayList<>();
        for (Constant c : network.constants()) {
            if (!isFile(tools, c.type())) {
                constants.add(c);
                continue;
            }
            Map<String, List<String>> samples = new LinkedHashMap<>();
            c.samples().forEach((k, v) -> samples.put(k, v.stream().map(t -> resolve(t, base)).toList()));
            constants.add(new Constant(c.id(), c.type(), samples));
        }
        List<Node> nodes = new ArrayList<>();
        for (Node n : network.nodes()) {
            Optional<ToolDefinition> tool = tools.find(n.tool());
            Map<String, List<String>> params = new LinkedHashMap<>();
            n.parameters().forEach((port, values) -> {
                boolean file = tool.flatMap(t -> t.input(port)).map(PortSpec::type).map(t -> isFile(tools, t)).orElse(false);
                params.put(port, file ? values.stream().map(t -> resolve(t, base)).toList() : values);
            });
            nodes.add(new Node(n.id(), n.tool(), n.inputs(), params));
        }
        return new Network(network.id(), network.description(), network.sources(), constants, nodes, network.sinks());
    }

    private static boolean isFile(ToolRegistry tools, String type) {
        Optional<DataType> t = tools.types().find(type);
        return t.isPresent() && t.get() instanceof FileType;
    }

    private static String resolve(String text, Path base) {
        boolean uri = text.matches("^[A-Za-z][A-Za-z0-9+.-]*:.*") && !text.matches("^[A-Za-z]:[\\\\/].*");
        if (uri || Path.of(text).isAbsolute()) {
            return text;
        }
        return base.resolve(text).toAbsolutePath().normalize().toUri().toString();
    }
}
