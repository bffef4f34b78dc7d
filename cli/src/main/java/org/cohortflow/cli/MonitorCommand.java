package org.cohortflow.cli;

import java.io.PrintWriter;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.cohortflow.dsl.network.Network;
import org.cohortflow.dsl.network.NetworkYaml;
import org.cohortflow.dsl.yaml.InvalidDefinitionException;
import org.cohortflow.executors.FileLiterals;
import org.cohortflow.executors.ToolSet;
import org.cohortflow.executors.monitor.MonitorSettings;
import org.cohortflow.executors.monitor.RunImport;
import org.cohortflow.executors.storage.Storage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code cohortflow monitor}: talks to a cohortflow monitor service. */
@Command(name = "monitor", mixinStandardHelpOptions = true,
        header = "Talks to a cohortflow monitor (the service is started with 'cohortflow serve monitor').",
        subcommands = MonitorCommand.Import.class)
final class MonitorCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code cohortflow monitor import WORK/RUN}: loads a finished run from its folder into a monitor. */
    @Command(name = "import", mixinStandardHelpOptions = true,
            header = "Loads a run from its folder (events.jsonl, report.json) into a monitor.",
            description = "Sends the run's events and report to the monitor as the run would have. Importing the same "
                    + "run again changes nothing. Give the network (and its tools) to see it drawn as a graph.",
            footer = {"", "Example:", "  cohortflow monitor import /tmp/work/count-lines --monitor http://127.0.0.1:8084 \\",
                    "      --monitor-token TOKEN --network examples/networks/count-lines.yaml --tools examples/tools",
                    "", "Exit codes: 0 imported; 1 the monitor did not take everything; 2 bad arguments or no run there."})
    static final class Import implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "WORK/RUN", description = "The run folder, a path or a Hadoop URI.")
        String runDir;

        @Mixin
        MonitorOptions monitor = new MonitorOptions();

        @Option(names = "--network", paramLabel = "NETWORK.yaml", description = "The network that ran (for the graph).")
        java.nio.file.Path network;

        @Mixin
        ToolOptions tools = new ToolOptions();

        @Option(names = "--hadoop", paramLabel = "KEY=VALUE", description = "A Hadoop storage setting; repeatable.")
        Map<String, String> hadoopConf = new LinkedHashMap<>();

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            Optional<MonitorSettings> settings = monitor.settings();
            if (settings.isEmpty()) {
                err.println("cohortflow monitor import: --monitor URL is required");
                return 2;
            }
            try {
                ToolSet toolSet = ToolSet.load(tools.folders());
                Optional<Network> net = Optional.empty();
                if (network != null) {
                    NetworkYaml.Loaded loaded = NetworkYaml.read(network);
                    net = Optional.of(FileLiterals.resolve(loaded.network(), toolSet.registry(),
                            network.toAbsolutePath().getParent()));
                }
                URI dir = Storage.toUri(runDir);
                RunImport.Result r = RunImport.importRun(settings.get(), dir, hadoopConf, net, toolSet.registry());
                if (r.problem() != null) {
                    err.println("cohortflow monitor import: " + r.problem());
                    return 1;
                }
                out.println("imported " + r.events() + " events" + (r.report() ? " and the report" : "") + " of " + dir
                        + ": " + r.page());
                return 0;
            } catch (InvalidDefinitionException e) {
                e.problems().forEach(err::println);
                return 2;
            } catch (IllegalArgumentException | IllegalStateException | java.io.IOException e) {
                err.println("cohortflow monitor import: " + e.getMessage());
                return 2;
            }
        }
    }
}
