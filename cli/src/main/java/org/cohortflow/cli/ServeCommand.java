package org.cohortflow.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.cohortflow.dsl.yaml.InvalidDefinitionException;
import org.cohortflow.server.RunningService;
import org.cohortflow.server.Service;
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
                               + "--port and --data override the configuration file."},
        footer = {"", "Examples:", "  cohortflow serve governor --config governor.yaml",
                "  cohortflow serve governor --port 8081 --data /tmp/governor",
                "  cohortflow serve all --port 8080 --data /tmp/cohortflow",
                "", "Exit codes: 0 stopped, 2 bad configuration or unknown service."})
final class ServeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SERVICE|all", description = "The service to run, or 'all'.")
    String service;

    @Option(names = "--config", paramLabel = "FILE", description = "The service's configuration (YAML).")
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
        List<ServiceConfig> configs = new ArrayList<>();
        if (service.equals("all")) {
            if (config != null) {
                err.println("cohortflow serve: 'all' runs on embedded defaults; --config is for one service");
                return 2;
            }
            int i = 0;
            for (String name : available.keySet()) {
                ServiceConfig c = ServiceConfig.defaults(name, port == null ? 0 : port + i++);
                configs.add(data == null ? c : c.withDataDir(data.resolve(name)));
            }
        } else {
            if (!available.containsKey(service)) {
                err.println("cohortflow serve: unknown service '" + service + "' (available: " + String.join(", ", available.keySet()) + ")");
                return 2;
            }
            ServiceConfig c;
            try {
                c = config == null ? ServiceConfig.defaults(service, 0) : ServiceConfig.load(config, service);
            } catch (InvalidDefinitionException e) {
                e.problems().forEach(err::println);
                return 2;
            }
            if (port != null) {
                c = c.withPort(port);
            }
            if (data != null) {
                c = c.withDataDir(data);
            }
            configs.add(c);
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
        stop.await();
        return 0;
    }
}
