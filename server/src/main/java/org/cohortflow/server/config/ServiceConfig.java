package org.cohortflow.server.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.cohortflow.dsl.yaml.Fields;
import org.cohortflow.dsl.yaml.Problems;
import org.cohortflow.dsl.yaml.YamlNode;
import org.cohortflow.dsl.yaml.YamlReader;

/**
 * The configuration of one service process, read from a YAML file or built from defaults.
 *
 * <pre>
 * name: governor
 * host: 127.0.0.1
 * port: 8081
 * data: /var/lib/cohortflow/governor
 * database: {url: jdbc:postgresql://db/cohortflow, user: governor, password: secret}
 * admin: {name: admin, password: change-me}
 * publicUrl: https://governor.example.org
 * settings: {spark: {master: "local[2]"}}
 * </pre>
 *
 * @param name          service name (also its database schema)
 * @param host          interface to listen on (default 127.0.0.1)
 * @param port          TCP port, 0 for an ephemeral one
 * @param dataDir       folder for the service's files (default {@code $HOME/.cohortflow/NAME})
 * @param database      database connection (default an H2 file under the data folder)
 * @param admin         the administrator created on first start
 * @param publicUrl     the URL others use to reach this service (for callback URLs), or {@code null}
 *                      to derive it from host and port
 * @param settings      service-specific settings: nested maps, lists and strings
 */
public record ServiceConfig(String name, String host, int port, Path dataDir, DatabaseSettings database,
                            BootstrapAdmin admin, String publicUrl, Map<String, Object> settings) {

    private static final Set<String> KEYS = Set.of("name", "host", "port", "data", "database", "admin",
            "publicUrl", "settings");

    public ServiceConfig {
        if (name == null || !name.matches("[a-z][a-z0-9_]*")) {
            throw new IllegalArgumentException("service name must be lower-case letters, digits or '_': " + name);
        }
        host = host == null || host.isBlank() ? "127.0.0.1" : host;
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535: " + port);
        }
        dataDir = dataDir == null ? defaultDataDir(name) : dataDir;
        database = database == null ? DatabaseSettings.h2File(dataDir) : database;
        admin = admin == null ? BootstrapAdmin.generated() : admin;
        settings = settings == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(settings));
    }

    /** Embedded defaults for a service: loopback, the given port, H2 under {@code $HOME/.cohortflow/NAME}. */
    public static ServiceConfig defaults(String name, int port) {
        return new ServiceConfig(name, null, port, null, null, null, null, null);
    }

    /** The default data folder of a service. */
    public static Path defaultDataDir(String name) {
        return Path.of(System.getProperty("user.home"), ".cohortflow", name);
    }

    /** This configuration on another port. */
    public ServiceConfig withPort(int newPort) {
        return new ServiceConfig(name, host, newPort, dataDir, database, admin, publicUrl, settings);
    }

    /**
     * This configuration with another data folder; an H2 database that was defaulted from the old folder
     * moves with it.
     */
    public ServiceConfig withDataDir(Path dir) {
        DatabaseSettings db = database.equals(DatabaseSettings.h2File(dataDir)) ? null : database;
        return new ServiceConfig(name, host, port, dir, db, admin, publicUrl, settings);
    }

    /** This configuration with another database. */
    public ServiceConfig withDatabase(DatabaseSettings db) {
        return new ServiceConfig(name, host, port, dataDir, db, admin, publicUrl, settings);
    }

    /** This configuration with other service-specific settings. */
    public ServiceConfig withSettings(Map<String, Object> newSettings) {
        return new ServiceConfig(name, host, port, dataDir, database, admin, publicUrl, newSettings);
    }

    /** A service-specific setting by dotted path ({@code spark.master}), as text. */
    public Optional<String> setting(String dottedPath) {
        Object at = settings;
        for (String part : dottedPath.split("\\.")) {
            if (!(at instanceof Map<?, ?> m) || !m.containsKey(part)) {
                return Optional.empty();
            }
            at = m.get(part);
        }
        return at == null || at instanceof Map || at instanceof List ? Optional.empty() : Optional.of(at.toString());
    }

    /**
     * Reads a configuration file for the service {@code serviceName}. Every problem (unknown key, wrong
     * kind of value, bad port) is reported with FILE:LINE:COL in one
     * {@link org.cohortflow.dsl.yaml.InvalidDefinitionException}.
     */
    public static ServiceConfig load(Path file, String serviceName) {
        return parse(YamlReader.read(file), serviceName);
    }

    /** Parses configuration text; {@code sourceName} is used in error locations. */
    public static ServiceConfig parse(String yaml, String sourceName, String serviceName) {
        return parse(YamlReader.read(yaml, sourceName), serviceName);
    }

    private static ServiceConfig parse(YamlNode root, String serviceName) {
        Problems problems = new Problems();
        Optional<Fields> top = Fields.of(root, problems, "service configuration", KEYS);
        if (top.isEmpty()) {
            problems.throwIfAny();
        }
        Fields f = top.orElseThrow();
        String name = f.string("name").orElse(serviceName);
        if (!name.equals(serviceName)) {
            problems.add(f.node("name").orElseThrow().location(),
                    "this file configures service '" + name + "', not '" + serviceName + "'");
        }
        int port = f.integer("port", 0).map(Long::intValue).orElse(0);
        if (port > 65535) {
            problems.add(f.node("port").orElseThrow().location(), "'port' must be at most 65535, found " + port);
        }
        Path data = f.string("data").map(Path::of).orElse(null);
        DatabaseSettings db = null;
        Optional<YamlNode.Mapping> dbNode = f.mappingAt("database");
        if (dbNode.isPresent()) {
            Optional<Fields> d = Fields.of(dbNode.get(), problems, "database", Set.of("url", "user", "password"));
            if (d.isPresent()) {
                Optional<String> url = d.get().requiredString("url");
                if (url.isPresent() && !url.get().startsWith("jdbc:h2:") && !url.get().startsWith("jdbc:postgresql:")) {
                    problems.add(dbNode.get().get("url").orElseThrow().location(),
                            "database url must start with jdbc:h2: or jdbc:postgresql:, found '" + url.get() + "'");
                } else if (url.isPresent()) {
                    // A configured H2 file gets the embedded default's interrupt-safe access (DatabaseSettings#h2File).
                    db = new DatabaseSettings(url.get(), d.get().string("user").orElse(""),
                            d.get().string("password").orElse("")).interruptSafe();
                }
            }
        }
        BootstrapAdmin admin = null;
        Optional<YamlNode.Mapping> adminNode = f.mappingAt("admin");
        if (adminNode.isPresent()) {
            Optional<Fields> a = Fields.of(adminNode.get(), problems, "admin", Set.of("name", "password"));
            if (a.isPresent()) {
                admin = new BootstrapAdmin(a.get().string("name").orElse("admin"), a.get().string("password").orElse(null));
            }
        }
        Map<String, Object> settings = f.mappingAt("settings").map(ServiceConfig::plain)
                .map(o -> castMap(o)).orElse(Map.of());
        problems.throwIfAny();
        return new ServiceConfig(serviceName, f.string("host").orElse(null), port, data, db, admin,
                f.string("publicUrl").orElse(null), settings);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Object o) {
        return (Map<String, Object>) o;
    }

    /** Converts a YAML subtree into maps, lists and strings. */
    private static Object plain(YamlNode node) {
        if (node instanceof YamlNode.Mapping m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.entries().forEach((k, e) -> out.put(k, plain(e.value())));
            return out;
        }
        if (node instanceof YamlNode.Sequence s) {
            List<Object> out = new ArrayList<>();
            s.items().forEach(i -> out.add(plain(i)));
            return out;
        }
        return ((YamlNode.Scalar) node).text();
    }
}
