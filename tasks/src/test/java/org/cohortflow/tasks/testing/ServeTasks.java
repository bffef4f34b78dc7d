package org.cohortflow.tasks.testing;

import java.nio.file.Path;
import org.cohortflow.server.RunningService;
import org.cohortflow.server.config.ServiceConfig;
import org.cohortflow.tasks.TasksService;

/**
 * Runs the task service from a configuration file in its own JVM, so a test can kill it with SIGKILL and
 * start it again: {@code java -cp CLASSPATH org.cohortflow.tasks.testing.ServeTasks CONFIG}. Prints
 * {@code ready URL} once it answers.
 */
public final class ServeTasks {
    private ServeTasks() {
    }

    public static void main(String[] args) throws Exception {
        ServiceConfig config = ServiceConfig.load(Path.of(args[0]), TasksService.NAME);
        RunningService service = new TasksService().start(config);
        System.out.println("ready " + service.baseUri());
        System.out.flush();
        Thread.currentThread().join();
    }
}
