package org.cohortflow.cli;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.cohortflow.dsl.yaml.InvalidDefinitionException;
import org.cohortflow.server.ServiceKit;
import org.cohortflow.server.auth.NewToken;
import org.cohortflow.server.auth.Role;
import org.cohortflow.server.auth.User;
import org.cohortflow.server.config.ServiceConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code cohortflow users}: manages a service's users and API tokens directly in its database (for the
 * first users, scripts and recovery; a running service offers the same over {@code /api/v1/users}).
 */
@Command(name = "users", mixinStandardHelpOptions = true,
        header = "Manages a service's users and API tokens in its database.",
        description = {"Works on the database of the service named by --service, as its configuration (or --data) says. "
                               + "Every change is written to the service's audit log as done by 'cli:USER'."},
        footer = {"", "Examples:", "  echo alice-password | cohortflow users --service governor --data /tmp/governor \\",
                "      add alice --role manager --password-stdin",
                "  cohortflow users --service governor --data /tmp/governor token alice \\",
                "      --label ci",
                "  cohortflow users --service governor --data /tmp/governor list"},
        subcommands = {UsersCommand.Add.class, UsersCommand.Token.class, UsersCommand.ListUsers.class})
final class UsersCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Option(names = "--service", required = true, paramLabel = "NAME", description = "The service: governor, tasks, ...")
    String service;

    @Option(names = "--config", paramLabel = "FILE", description = "The service's configuration (its database).")
    Path config;

    @Option(names = "--data", paramLabel = "DIR", description = "The service's data folder (its embedded database).")
    Path data;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    ServiceKit open() {
        ServiceConfig c = config == null ? ServiceConfig.defaults(service, 0) : ServiceConfig.load(config, service);
        if (data != null) {
            c = c.withDataDir(data);
        }
        return ServiceKit.open(c, null, new PrintStream(System.out, true, StandardCharsets.UTF_8));
    }

    static String actor() {
        return "cli:" + System.getProperty("user.name", "unknown");
    }

    /** {@code users add NAME --role R}. */
    @Command(name = "add", mixinStandardHelpOptions = true, header = "Creates a user.")
    static final class Add implements Callable<Integer> {
        @ParentCommand
        UsersCommand parent;
        @Spec
        CommandSpec spec;
        @Parameters(index = "0", paramLabel = "NAME")
        String name;
        @Option(names = "--role", required = true, split = ",", paramLabel = "ROLE", description = "admin, manager or viewer; repeatable.")
        List<String> roles;
        @Option(names = "--password-stdin", description = "Read the password from the first line of standard input.")
        boolean passwordStdin;

        @Override
        public Integer call() throws Exception {
            Set<Role> set = EnumSet.noneOf(Role.class);
            for (String r : roles) {
                Role role = Role.parse(r).orElse(null);
                if (role == null) {
                    spec.commandLine().getErr().println("cohortflow users add: unknown role '" + r + "' (admin, manager, viewer)");
                    return 2;
                }
                set.add(role);
            }
            String password = null;
            if (passwordStdin) {
                password = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            }
            String pw = password;
            try (ServiceKit kit = parent.open()) {
                User u = kit.database().inTransaction(h -> {
                    User made = kit.users().create(h, name, pw, set);
                    kit.audit().record(h, actor(), "user.create", "user/" + name, "roles " + roles);
                    return made;
                });
                spec.commandLine().getOut().println("created user " + u.name() + " with roles " + roles
                        + (pw == null ? " (no password: use a token)" : ""));
                return 0;
            } catch (IllegalArgumentException | InvalidDefinitionException e) {
                spec.commandLine().getErr().println("cohortflow users add: " + e.getMessage());
                return 2;
            }
        }
    }

    /** {@code users token NAME --label L}. */
    @Command(name = "token", mixinStandardHelpOptions = true, header = "Creates an API token for a user and prints it (once).")
    static final class Token implements Callable<Integer> {
        @ParentCommand
        UsersCommand parent;
        @Spec
        CommandSpec spec;
        @Parameters(index = "0", paramLabel = "NAME")
        String name;
        @Option(names = "--label", required = true, description = "What the token is for.")
        String label;
        @Option(names = "--days", description = "Valid this many days (default: until revoked).")
        Integer days;

        @Override
        public Integer call() {
            try (ServiceKit kit = parent.open()) {
                NewToken t = kit.database().inTransaction(h -> {
                    Instant expires = days == null ? null : Instant.now().plus(Duration.ofDays(days));
                    NewToken made = kit.users().createToken(h, name, label, expires);
                    kit.audit().record(h, actor(), "token.create", "user/" + name + "/token/" + made.token().id(), label);
                    return made;
                });
                spec.commandLine().getOut().println(t.value());
                return 0;
            } catch (IllegalArgumentException e) {
                spec.commandLine().getErr().println("cohortflow users token: " + e.getMessage());
                return 2;
            }
        }
    }

    /** {@code users list}. */
    @Command(name = "list", mixinStandardHelpOptions = true, header = "Lists users and their roles.")
    static final class ListUsers implements Callable<Integer> {
        @ParentCommand
        UsersCommand parent;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            try (ServiceKit kit = parent.open()) {
                for (User u : kit.database().withHandle(kit.users()::list)) {
                    spec.commandLine().getOut().printf("%s\t%s%s%n", u.name(), u.roles().stream().map(Role::id).sorted().toList(),
                            u.disabled() ? "\tdisabled" : "");
                }
                return 0;
            }
        }
    }
}
