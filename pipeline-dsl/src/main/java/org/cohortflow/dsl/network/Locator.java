package org.cohortflow.dsl.network;

import java.util.Map;
import org.cohortflow.dsl.yaml.Location;

/**
 * Finds where an element of a network was defined, for error messages. Elements are named by paths:
 * {@code source:ID}, {@code constant:ID}, {@code node:ID}, {@code node:ID/tool},
 * {@code node:ID/input:PORT}, {@code node:ID/input:PORT/link:N}, {@code node:ID/param:PORT},
 * {@code sink:ID}, {@code sink:ID/from}. A YAML network maps them to file positions; a Java network
 * describes them in words.
 */
public interface Locator {

    Location locate(String path);

    /** Positions recorded while reading a file; a missing path falls back to its nearest parent. */
    static Locator ofPositions(Map<String, Location> positions, String file) {
        return path -> {
            String p = path;
            while (true) {
                Location l = positions.get(p);
                if (l != null) {
                    return l;
                }
                int slash = p.lastIndexOf('/');
                if (slash < 0) {
                    return positions.getOrDefault("network", new Location(file, 1, 1));
                }
                p = p.substring(0, slash);
            }
        };
    }

    /** Describes elements of a network built in Java: "network 'demo', node 'add', input 'left'". */
    static Locator describing(String networkId) {
        return path -> {
            StringBuilder sb = new StringBuilder("network '").append(networkId).append("'");
            for (String part : path.split("/")) {
                int colon = part.indexOf(':');
                if (colon > 0) {
                    String kind = part.substring(0, colon);
                    String name = part.substring(colon + 1);
                    sb.append(", ").append(kind.equals("param") ? "parameter" : kind).append(" '").append(name).append("'");
                } else if (!part.equals("network")) {
                    sb.append(", ").append(part);
                }
            }
            return Location.described(sb.toString());
        };
    }
}
