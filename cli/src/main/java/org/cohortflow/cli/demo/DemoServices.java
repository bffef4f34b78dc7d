package org.cohortflow.cli.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cohortflow.server.RunningService;
import org.cohortflow.server.Service;
import org.cohortflow.server.config.BootstrapAdmin;
import org.cohortflow.server.config.ServiceConfig;
import org.cohortflow.tasks.client.TasksClient;

/**
 * The four services of the mission (monitor, task service, study governor, intake) started in this JVM, as
 * {@code cohortflow serve all} starts them (each through its {@link Service}, on an embedded H2 database under
 * its own folder), then wired the way an operator wires them over their REST APIs: service accounts and API
 * tokens (the governor's at the task service and the monitor, the intake's at the governor), the study's
 * project, templates and reviewer at the task service, its workflow and study at the governor. The intake
 * forwards to a folder archive. Each service's configuration is written as {@code services/NAME.yaml} (what
 * {@code cohortflow serve NAME --config} reads), so that {@link #resume} starts them again as they were. Closing
 * it stops the services in reverse order.
 */
public final class DemoServices implements AutoCloseable {
    /** The study's name at the governor and its project at the task service (the intake profile's project). */
    public static final String STUDY = "study";
    /** The DICOM application entity title of the intake's C-STORE SCP. */
    public static final String INTAKE_AET = "INTAKE";
    /** The reviewer account the tasks are assigned to (a person in the viewer, or the demo's auto-review). */
    public static final String REVIEWER = "reviewer";

    /**
     * Where a service answers, its data folder, and an API token of its admin (the demo's own calls use it: a
     * password is checked with bcrypt on every request, a token is not).
     */
    public record Endpoint(String name, URI url, Path data, String adminToken) {
        /** The admin's client. */
        public RestClient admin() {
            return RestClient.withToken(url, adminToken);
        }
    }

    /**
     * Everything a user (or a test) needs to reach the running services.
     *
     * @param adminPassword    the password of user {@code admin} on every service
     * @param reviewerPassword the password of {@link #REVIEWER} at the task service
     * @param reviewerToken    an API token of {@link #REVIEWER} at the task service
     * @param dicomPort        the intake's C-STORE SCP port (AE title {@link #INTAKE_AET})
     * @param archive          the folder archive the intake forwards to
     * @param export           the folder the study's cohort table is exported to
     */
    public record Layout(Map<String, Endpoint> services, String adminPassword, String reviewerPassword, String reviewerToken,
                         int dicomPort,
                         Path archive, Path export) {
        /** The service called {@code name}. */
        public Endpoint service(String name) {
            Endpoint e = services.get(name);
            if (e == null) {
                throw new IllegalArgumentException("no service " + name);
            }
            return e;
        }
    }

    /**
     * The study's files and how the services run it.
     *
     * @param checkout   the cohortflow checkout (network paths of the workflow are relative to it)
     * @param study      the study's folder: workflow.yaml, intake-profile.yaml, templates/*.yaml
     * @param folder     the demo's folder: services/NAME, archive/, export/ go below it
     * @param firstPort  the first service's port (the others follow), 0 for ephemeral ports
     * @param executor   where the governor runs pipelines: spark or local
     * @param master     the Spark master
     */
    public record Settings(Path checkout, Path study, Path folder, int firstPort, String executor, String master) {}

    /** The file in {@code services/} that keeps the layout (addresses, accounts, tokens) for a resume. */
    static final String LAYOUT = "demo-layout.json";
    private static final List<String> ORDER = List.of("monitor", "tasks", "governor", "intake");
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();
    private static final com.fasterxml.jackson.dataformat.yaml.YAMLMapper YAML = new com.fasterxml.jackson.dataformat.yaml.YAMLMapper();
    private final List<RunningService> running = new ArrayList<>();
    private final java.util.function.Consumer<String> log;
    private final Layout layout;

    private DemoServices(Map<String, Service> available, Settings s, java.util.function.Consumer<String> log) throws Exception {
        this.log = log;
        try {
            layout = launch(available, s);
        } catch (Exception | Error e) {
            close();
            throw e;
        }
    }

    /**
     * Starts and wires the services; the caller closes them.
     *
     * @param available the services found on the class path, by name (as {@code cohortflow serve} finds them)
     * @param log       where each started service is reported
     */
    public static DemoServices start(Map<String, Service> available, Settings settings, java.util.function.Consumer<String> log)
            throws Exception {
        return new DemoServices(available, settings, log);
    }

    /** Where everything is. */
    public Layout layout() {
        return layout;
    }

    private Layout launch(Map<String, Service> available, Settings s) throws Exception {
        String adminPassword = password();
        String reviewerPassword = password();
        Path services = Files.createDirectories(s.folder().resolve("services"));
        Path archive = Files.createDirectories(s.folder().resolve("archive"));
        Path export = Files.createDirectories(s.folder().resolve("export"));
        Path governorData = services.resolve("governor");
        // The governor writes its pipeline runs here; the task service checks its data roots exist when it starts.
        Files.createDirectories(governorData.resolve("runs"));
        Map<String, Endpoint> endpoints = new LinkedHashMap<>();
        int[] port = {s.firstPort()};

        // The monitor first: the governor reports its pipeline runs to it.
        RunningService monitor = start(available, config("monitor", port, services, adminPassword, Map.of()));
        RestClient monitorAdmin = admin(monitor.baseUri(), adminPassword);
        String monitorToken = serviceToken(monitorAdmin, "governor");
        endpoints.put("monitor", new Endpoint("monitor", monitor.baseUri(), services.resolve("monitor"), monitorAdmin.token()));

        // The task service may show the NIfTI files of the governor's pipeline runs, nothing else.
        RunningService tasks = start(available, config("tasks", port, services, adminPassword, Map.of(
                "dataRoots", List.of(governorData.resolve("runs").toString()),
                "callbackFirstRetrySeconds", 1, "callbackPollMillis", 200)));
        RestClient tasksAdmin = admin(tasks.baseUri(), adminPassword);
        String tasksToken = serviceToken(tasksAdmin, "governor");
        tasksAdmin.post("/api/v1/projects", Map.of("name", STUDY, "description", "the example study (cohortflow demo)"));
        TasksClient templates = TasksClient.withToken(tasks.baseUri(), tasksAdmin.token());
        try (var files = Files.list(s.study().resolve("templates"))) {
            for (Path t : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                templates.putTemplate(t);
            }
        }
        tasksAdmin.post("/api/v1/users", Map.of("name", REVIEWER, "password", reviewerPassword, "roles", List.of("viewer")));
        tasksAdmin.put("/api/v1/reviewers/" + REVIEWER, Map.of("weight", 1));
        String reviewerToken = RestClient.withPassword(tasks.baseUri(), REVIEWER, reviewerPassword)
                .post("/api/v1/tokens", Map.of("label", "cohortflow demo auto-review")).path("value").asText();
        endpoints.put("tasks", new Endpoint("tasks", tasks.baseUri(), services.resolve("tasks"), tasksAdmin.token()));

        Map<String, Object> pipelines = Map.of("root", s.checkout().toString(), "executor", s.executor(), "master", s.master());
        RunningService governor = start(available, config("governor", port, services, adminPassword, Map.of(
                "pipelines", pipelines, "tasks", Map.of("token", tasksToken),
                "monitor", Map.of("url", monitor.baseUri().toString(), "token", monitorToken))));
        RestClient governorAdmin = admin(governor.baseUri(), adminPassword);
        endpoints.put("governor", new Endpoint("governor", governor.baseUri(), governorData, governorAdmin.token()));
        governorAdmin.post("/api/v1/workflows", Map.of("yaml", workflow(s.study().resolve("workflow.yaml"), tasks.baseUri(), export)));
        String workflowName = governorAdmin.get("/api/v1/workflows").get(0).path("name").asText();
        governorAdmin.post("/api/v1/studies", Map.of("name", STUDY, "workflow", workflowName));
        String governorToken = serviceToken(governorAdmin, "intake");

        int dicomPort = -1;
        RunningService intake = null;
        // The C-STORE port is chosen free just before the intake binds it; another process may take it in between.
        for (int attempt = 0; intake == null; attempt++) {
            dicomPort = freePort();
            try {
                intake = start(available, config("intake", port, services, adminPassword, Map.of(
                        "profile", s.study().resolve("intake-profile.yaml").toString(),
                        "dicom", Map.of("port", dicomPort, "aet", INTAKE_AET),
                        "forward", Map.of("folder", archive.toString()),
                        "studyQuietSeconds", 2,
                        "retry", Map.of("firstSeconds", 1, "maxSeconds", 10),
                        "governor", Map.of("url", governor.baseUri().toString(), "token", governorToken, "study", STUDY))));
            } catch (Exception e) {
                if (attempt >= 2) {
                    throw e;
                }
                port[0] = port[0] == 0 ? 0 : port[0] - 1;
            }
        }
        endpoints.put("intake", new Endpoint("intake", intake.baseUri(), services.resolve("intake"),
                admin(intake.baseUri(), adminPassword).token()));
        Layout layout = new Layout(Map.copyOf(endpoints), adminPassword, reviewerPassword, reviewerToken, dicomPort, archive, export);
        writePrivate(services.resolve(LAYOUT), JSON.writeValueAsBytes(layout));
        return layout;
    }

    /**
     * Starts the services of an earlier demo again from the configuration files it left in {@code folder/services}
     * (after a crash or a {@code kill -9}): same ports, databases and accounts; each service resumes what its
     * database says is pending.
     */
    public static DemoServices resume(Map<String, Service> available, Path folder, java.util.function.Consumer<String> log)
            throws Exception {
        return new DemoServices(available, folder, log);
    }

    private DemoServices(Map<String, Service> available, Path folder, java.util.function.Consumer<String> log) throws Exception {
        this.log = log;
        try {
            Path services = folder.resolve("services");
            Layout saved = JSON.readValue(services.resolve(LAYOUT).toFile(), Layout.class);
            for (String name : ORDER) {
                start(available, ServiceConfig.load(services.resolve(name + ".yaml"), name), false);
            }
            layout = saved;
        } catch (Exception | Error e) {
            close();
            throw e;
        }
    }

    private RunningService start(Map<String, Service> available, ServiceConfig config) throws Exception {
        return start(available, config, true);
    }

    /** Starts a service; {@code save}: writes its configuration, with the port it got, as {@code services/NAME.yaml}. */
    private RunningService start(Map<String, Service> available, ServiceConfig config, boolean save) throws Exception {
        Service service = available.get(config.name());
        if (service == null) {
            throw new IllegalStateException("the " + config.name() + " service is not on the class path (found: "
                    + String.join(", ", available.keySet()) + ")");
        }
        long t = System.nanoTime();
        RunningService r = service.start(config);
        running.add(r);
        log.accept(String.format(java.util.Locale.ROOT, "%s started in %.1f s at %s", config.name(), (System.nanoTime() - t) / 1e9,
                r.baseUri()));
        if (save) {
            Map<String, Object> yaml = new LinkedHashMap<>();
            yaml.put("name", config.name());
            yaml.put("host", config.host());
            yaml.put("port", r.baseUri().getPort());
            yaml.put("data", config.dataDir().toString());
            yaml.put("admin", Map.of("name", config.admin().name(), "password", config.admin().password()));
            yaml.put("settings", config.settings());
            writePrivate(config.dataDir().resolveSibling(config.name() + ".yaml"), YAML.writeValueAsBytes(yaml));
        }
        return r;
    }

    /** Writes a file only its owner may read: it holds passwords and tokens. */
    private static void writePrivate(Path file, byte[] content) throws IOException {
        Files.write(file, content);
        try {
            Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: the folder's own permissions apply
        }
    }

    private static ServiceConfig config(String name, int[] port, Path services, String adminPassword, Map<String, Object> settings) {
        int p = port[0] == 0 ? 0 : port[0]++;
        Path data = services.resolve(name);
        return new ServiceConfig(name, "127.0.0.1", p, data, null, new BootstrapAdmin("admin", adminPassword), null, settings);
    }

    /**
     * The admin's client at a service, with an API token made once: a password is checked with bcrypt on every
     * request, a token is not.
     */
    private static RestClient admin(URI service, String adminPassword) {
        return RestClient.withToken(service, RestClient.withPassword(service, "admin", adminPassword)
                .post("/api/v1/tokens", Map.of("label", "cohortflow demo setup")).path("value").asText());
    }

    /** A manager account named {@code user} at the service, and an API token of it (as docs/tasks.md sets it up). */
    private static String serviceToken(RestClient admin, String user) {
        String password = password();
        admin.post("/api/v1/users", Map.of("name", user, "password", password, "roles", List.of("manager")));
        return RestClient.withPassword(admin.base(), user, password).post("/api/v1/tokens", Map.of("label", "cohortflow demo"))
                .path("value").asText();
    }

    /**
     * The example study's workflow with this demo's addresses: the example names the task service of
     * {@code cohortflow serve tasks --port 8083} and exports to /tmp/cohortflow-study/export.
     */
    static String workflow(Path file, URI tasks, Path export) throws IOException {
        String yaml = Files.readString(file);
        String exampleTasks = "http://127.0.0.1:8083";
        String exampleExport = "/tmp/cohortflow-study/export";
        if (!yaml.contains(exampleTasks) || !yaml.contains(exampleExport)) {
            throw new IllegalStateException(file + " no longer names the task service " + exampleTasks + " and the export folder "
                    + exampleExport + ", which the demo replaces by its own");
        }
        return yaml.replace(exampleTasks, tasks.toString().replaceAll("/+$", "")).replace(exampleExport, export.toString());
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port for the intake's DICOM listener", e);
        }
    }

    private static String password() {
        String alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        SecureRandom random = new SecureRandom();
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            b.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return b.toString();
    }

    @Override
    public void close() {
        for (int i = running.size() - 1; i >= 0; i--) {
            try {
                running.get(i).close();
            } catch (RuntimeException e) {
                // Stopping the others matters more than this one's complaint.
            }
        }
        running.clear();
    }
}
