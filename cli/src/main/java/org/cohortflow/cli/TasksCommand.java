package org.cohortflow.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.cohortflow.tasks.client.CsvTasks;
import org.cohortflow.tasks.client.TasksClient;
import org.cohortflow.tasks.template.InvalidTemplateException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code cohortflow tasks}: talks to a running task service (templates, tasks from a cohort table). */
@Command(name = "tasks", mixinStandardHelpOptions = true,
        header = "Loads task templates and creates tasks from a CSV on a running task service.",
        subcommands = {TasksCommand.LoadTemplate.class, TasksCommand.Create.class})
final class TasksCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Where the service is and who we are: a token (--token or COHORTFLOW_TOKEN) or a user with COHORTFLOW_PASSWORD. */
    static final class Connection {
        @Option(names = "--url", required = true, description = "The task service, e.g. http://127.0.0.1:8083")
        URI url;

        @Option(names = "--token", description = "API token (default: environment COHORTFLOW_TOKEN).")
        String token;

        @Option(names = "--user", description = "User name; the password comes from environment COHORTFLOW_PASSWORD.")
        String user;

        TasksClient client() {
            String t = token != null ? token : System.getenv("COHORTFLOW_TOKEN");
            if (user != null) {
                String password = System.getenv("COHORTFLOW_PASSWORD");
                if (password == null) throw new IllegalArgumentException("--user needs the password in COHORTFLOW_PASSWORD");
                return TasksClient.withPassword(url, user, password);
            }
            if (t == null) throw new IllegalArgumentException("give --token, COHORTFLOW_TOKEN, or --user with COHORTFLOW_PASSWORD");
            return TasksClient.withToken(url, t);
        }
    }

    @Command(name = "load-template", mixinStandardHelpOptions = true,
            header = "Checks a template file (FILE:LINE:COL on errors) and uploads it.")
    static final class LoadTemplate implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @picocli.CommandLine.Mixin
        Connection connection = new Connection();

        @Parameters(paramLabel = "FILE", description = "Template files (YAML or JSON).")
        List<Path> files = new ArrayList<>();

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            TasksClient client = connection.client();
            for (Path f : files) {
                try {
                    out.println(f + ": revision " + client.putTemplate(f));
                } catch (InvalidTemplateException e) {
                    spec.commandLine().getErr().println(e.getMessage());
                    return 1;
                }
            }
            return 0;
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            header = "Creates one task per row of a CSV (e.g. one QC task per subject of a cohort table).",
            footer = {"", "Example:", "  cohortflow tasks create --url http://127.0.0.1:8083 --project sts --template sts-ct-qc \\",
                    "      --csv cohort.csv --subject subject --image ct=ct_path --image mask=mask_path --tag qc-1"})
    static final class Create implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @picocli.CommandLine.Mixin
        Connection connection = new Connection();

        @Option(names = "--project", required = true)
        String project;

        @Option(names = "--template", required = true)
        String template;

        @Option(names = "--csv", required = true, description = "The table, with a header row.")
        Path csv;

        @Option(names = "--subject", required = true, description = "Column naming the subject.")
        String subject;

        @Option(names = "--experiment", description = "Column naming the experiment.")
        String experiment;

        @Option(names = "--image", required = true, description = "KEY=COLUMN: the template's image KEY is the path or URL in COLUMN.")
        Map<String, String> images = new LinkedHashMap<>();

        @Option(names = "--tag", description = "Tag every task (repeatable).")
        List<String> tags = new ArrayList<>();

        @Option(names = "--readers", defaultValue = "1", description = "Different reviewers per task (default ${DEFAULT-VALUE}).")
        int readers;

        @Option(names = "--callback-url", description = "PUT each result here.")
        String callbackUrl;

        @Option(names = "--callback-secret", description = "Secret sent with each callback (default: environment COHORTFLOW_CALLBACK_SECRET).")
        String callbackSecret;

        @Override
        public Integer call() throws Exception {
            String secret = callbackSecret != null ? callbackSecret : System.getenv("COHORTFLOW_CALLBACK_SECRET");
            CsvTasks plan = new CsvTasks(project, template, images, subject, experiment, tags, readers, callbackUrl, secret);
            List<JsonNode> rows = plan.rows(csv);
            TasksClient client = connection.client();
            PrintWriter out = spec.commandLine().getOut();
            int n = 0;
            for (JsonNode row : rows) {
                for (long id : client.createTask(row)) {
                    out.println("task " + id + ": " + row.path("content").path("subject").asText());
                    n++;
                }
            }
            out.println(n + " task(s) created from " + rows.size() + " row(s) of " + csv);
            return 0;
        }
    }
}
