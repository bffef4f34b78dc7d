package org.cohortflow.cli;

import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.cohortflow.dsl.yaml.InvalidDefinitionException;
import org.cohortflow.server.RunningService;
import org.cohortflow.server.Service;
import org.cohortflow.server.auth.PasswordHasher;
import org.cohortflow.server.config.BootstrapAdmin;
import org.cohortflow.server.config.DatabaseSettings;
import org.cohortflow.server.config.ServiceConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code cohortflow serve}: runs a service (governor, tasks, ...) or all of them in one JVM. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        header = "Runs a cohortflow service until stopped.",
        description = {"Runs one service, or 'all' services present in one JVM on embedded H2 databases (a laptop, a demo). "
                               + "Services are found on the class path. With no --config a service starts on embedded defaults: "
                               + "loopback, an H2 database under $HOME/.cohortflow/NAME, and a generated admin password printed once. "
                               + "--port and --data override the configuration file.",
                       "With 'all', every service gets the same first administrator (one generated password, or the "
                               + "config's admin) and, once all listen, one summary lists each service's URL, its page "
                               + "and the credentials. 'all' takes a --config of its own (name: all): host, port (the "
                               + "first service's; the others follow), data (one sub-folder per service), admin, and "
                               + "settings per service (settings: {governor: {...}, tasks: {...}}); see docs/deploy.md."},
        footer = {"", "Examples:", "  cohortflow serve governor --config governor.yaml",
                "  cohortflow serve governor --port 8081 --data /tmp/governor",
                "  cohortflow serve all --port 8080 --data /tmp/cohortflow",
                "", "Exit codes: 0 stopped, 2 bad configuration or unknown service."})
final class ServeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SERVICE|all", description = "The service to run, or 'all'.")
    String service;

    @Option(names = "--config", paramLabel = "FILE", description = "The service's configuration (YAML); with 'all', "
            + "the shared one (name: all).")
    Path config;

    @Option(names = "--port", paramLabel = "N", description = "Port (with 'all': the first service's; the others follow).")
    Integer port;

    @Option(names = "--data", paramLabel = "DIR", description = "Data folder (with 'all': one sub-folder per service).")
    Path data;

    /** Stops the services when released; the JVM's shutdown (Ctrl-C, SIGTERM) releases it. */
    private final CountDownLatch stop = new CountDownLatch(1);

    static Map<String, Service> services() {
        Map<String, Service> found = new TreeMap<>();
        ServiceLoader.load(Service.class).forEach(s -> found.put(s.name(), s));
        return found;
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter out = spec.commandLine().getOut();
        Map<String, Service> available = services();
        List<ServiceConfig> configs;
        String generatedPassword = null;
        try {
            if (service.equals("all")) {
                ServiceConfig shared = config == null ? ServiceConfig.defaults("all", 0) : ServiceConfig.load(config, "all");
                if (shared.admin().password() == null) {
                    // One password for every service's first administrator, so the summary shows one pair.
                    generatedPassword = new PasswordHasher().randomSecret(18);
                    shared = withAdmin(shared, new BootstrapAdmin(shared.admin().name(), generatedPassword));
                }
                configs = allConfigs(shared, available);
            } else {
                if (!available.containsKey(service)) {
                    err.println("cohortflow serve: unknown service '" + service + "' (available: " + String.join(", ", available.keySet()) + ")");
                    return 2;
                }
                ServiceConfig c = config == null ? ServiceConfig.defaults(service, 0) : ServiceConfig.load(config, service);
                if (port != null) {
                    c = c.withPort(port);
                }
                if (data != null) {
                    c = c.withDataDir(data);
                }
                configs = List.of(c);
            }
        } catch (InvalidDefinitionException e) {
            e.problems().forEach(err::println);
            return 2;
        } catch (IllegalArgumentException e) {
            err.println("cohortflow serve: " + e.getMessage());
            return 2;
        }
        List<RunningService> running = new ArrayList<>();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (int i = running.size() - 1; i >= 0; i--) {
                running.get(i).close();
            }
            stop.countDown();
        }, "cohortflow-serve-stop"));
        for (ServiceConfig c : configs) {
            try {
                RunningService r = available.get(c.name()).start(c);
                running.add(r);
                out.println(c.name() + " listening on " + r.baseUri() + " (data " + c.dataDir() + ")");
                out.flush();
            } catch (Exception e) {
                err.println("cohortflow serve: " + c.name() + " did not start: " + e.getMessage());
                err.flush();
                running.forEach(RunningService::close);
                return 2;
            }
        }
        if (service.equals("all")) {
            out.print(summary(running, configs, available, generatedPassword != null));
            out.flush();
        }
        stop.await();
        return 0;
    }

    /**
     * One configuration per service from the shared one: ports in a row from the shared port (0: ephemeral),
     * a data sub-folder per service, the shared admin and each service's own settings.
     */
    private List<ServiceConfig> allConfigs(ServiceConfig shared, Map<String, Service> available) {
        if (!shared.database().equals(DatabaseSettings.h2File(shared.dataDir()))) {
            throw new IllegalArgumentException("'all' runs each service on its own embedded H2 database; for a database "
                    + "server run each service alone with its own configuration (docs/deploy.md)");
        }
        for (String key : shared.settings().keySet()) {
            if (!available.containsKey(key) || !(shared.settings().get(key) instanceof Map)) {
                throw new IllegalArgumentException("settings." + key + ": settings of 'all' are a mapping per service ("
                        + String.join(", ", available.keySet()) + ")");
            }
        }
        boolean dataGiven = data != null || !shared.dataDir().equals(ServiceConfig.defaultDataDir("all"));
        Path root = data != null ? data : shared.dataDir();
        int first = port != null ? port : shared.port();
        List<ServiceConfig> out = new ArrayList<>();
        int i = 0;
        for (String name : available.keySet()) {
            @SuppressWarnings("unchecked")
            Map<String, Object> own = (Map<String, Object>) shared.settings().getOrDefault(name, Map.of());
            out.add(new ServiceConfig(name, shared.host(), first == 0 ? 0 : first + i++,
                    dataGiven ? root.resolve(name) : null, null, shared.admin(), null, own));
        }
        return out;
    }

    private static ServiceConfig withAdmin(ServiceConfig c, BootstrapAdmin admin) {
        return new ServiceConfig(c.name(), c.host(), c.port(), c.dataDir(), c.database(), admin, c.publicUrl(), c.settings());
    }

    /**
     * What a person needs to start: each service's URL and page, and how to log in. Whether the printed password
     * works is asked of each service (a data folder from an earlier start keeps the administrator made then).
     */
    private static String summary(List<RunningService> running, List<ServiceConfig> configs, Map<String, Service> available,
                                  boolean generated) {
        BootstrapAdmin admin = configs.get(0).admin();
        StringBuilder s = new StringBuilder("\ncohortflow: " + running.size() + " services running\n");
        List<String> older = new ArrayList<>();
        for (RunningService r : running) {
            String base = r.baseUri().toString().replaceAll("/$", "");
            s.append(String.format("  %-9s %s   page %s%s%n", r.name(), base, base, available.get(r.name()).page()));
            if (!passwordWorks(r.baseUri(), admin)) {
                older.add(r.name());
            }
        }
        if (older.size() < running.size()) {
            s.append("  log in as '").append(admin.name()).append("' with password ").append(admin.password())
                    .append(generated ? " (generated; shown once)" : " (from the configuration)");
            if (!older.isEmpty()) {
                s.append(" on every service but ").append(String.join(", ", older));
            }
            s.append('\n');
        }
        if (!older.isEmpty()) {
            s.append("  ").append(String.join(", ", older)).append(": the data folder has users from an earlier start; log in as "
                    + "they were made then (cohortflow users --service NAME --data DIR list)\n");
        }
        s.append("  stop with Ctrl-C (SIGTERM)\n");
        return s.toString();
    }

    private static boolean passwordWorks(URI base, BootstrapAdmin admin) {
        String basic = Base64.getEncoder().encodeToString((admin.name() + ":" + admin.password()).getBytes(StandardCharsets.UTF_8));
        HttpRequest req = HttpRequest.newBuilder(base.resolve("/api/v1/users")).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Basic " + basic).GET().build();
        try {
            return HttpClient.newHttpClient().send(req, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (java.io.IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
