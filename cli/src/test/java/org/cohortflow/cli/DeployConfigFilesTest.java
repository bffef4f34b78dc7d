package org.cohortflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.cohortflow.intake.IntakeSettings;
import org.cohortflow.server.config.ServiceConfig;
import org.cohortflow.tasks.TasksSettings;
import org.junit.jupiter.api.Test;

/**
 * The deployment's configuration files ({@code cluster-config/services/NAME.yaml}, docs/deploy.md) pass the loaders
 * the services use when started by their unit: {@link ServiceConfig#load} for every file, then each service's own
 * settings reader; and they agree with the page's table (PostgreSQL database per service, loopback, the ports).
 */
class DeployConfigFilesTest {
    private static final Path SERVICES = CohortflowCommandTest.examples().getParent().resolve("cluster-config/services");

    @Test
    void everyServiceHasAConfigurationOnItsOwnPostgresqlDatabaseOnLoopbackWithItsOwnPort() {
        Set<Integer> ports = new HashSet<>();
        for (String name : List.of("governor", "intake", "tasks", "monitor")) {
            ServiceConfig c = ServiceConfig.load(SERVICES.resolve(name + ".yaml"), name);
            assertTrue(c.database().isPostgres(), name + ": " + c.database());
            assertTrue(c.database().url().endsWith("/cohortflow_" + name), name + " has a database of its own: " + c.database());
            assertEquals("cohortflow_" + name, c.database().user(), name + " has a role of its own");
            assertEquals("127.0.0.1", c.host(), name + " listens on loopback, behind the TLS proxy");
            assertEquals(Path.of("/var/lib/cohortflow", name), c.dataDir(), name);
            assertTrue(ports.add(c.port()), name + "'s port " + c.port() + " is another service's");
            assertTrue(c.admin().password() == null, name + ": the first administrator's password is generated, not in the file");
        }
        assertEquals(Set.of(8081, 8082, 8083, 8084), ports);
    }

    @Test
    void theIntakeForwardsToOrthancOverDicomwebAndListensForTheCentres() {
        IntakeSettings s = IntakeSettings.of(ServiceConfig.load(SERVICES.resolve("intake.yaml"), "intake"));
        assertTrue(s.forward() instanceof IntakeSettings.DicomWeb, "forwards by STOW-RS: " + s.forward());
        assertEquals("http://127.0.0.1:8042/dicom-web", ((IntakeSettings.DicomWeb) s.forward()).url().toString());
        assertEquals(11112, s.dicom().orElseThrow().port());
        assertEquals(Path.of("/etc/cohortflow/intake-profile.yaml"), s.profile());
    }

    @Test
    void theTaskServiceReadsImagesFromOrthancAndTheGovernorRunsPipelinesOnASparkMaster() {
        TasksSettings tasks = TasksSettings.from(ServiceConfig.load(SERVICES.resolve("tasks.yaml"), "tasks").settings());
        assertEquals(1, tasks.dicomWeb().size(), tasks.toString());
        ServiceConfig governor = ServiceConfig.load(SERVICES.resolve("governor.yaml"), "governor");
        assertEquals("spark", governor.setting("pipelines.executor").orElseThrow());
        assertTrue(governor.setting("pipelines.master").orElseThrow().startsWith("spark://"));
        assertEquals("http://127.0.0.1:8084", governor.setting("monitor.url").orElseThrow(), "the monitor's port");
    }

    @Test
    void theUnitRunsEachServiceWithItsConfigurationFromTheShadedJar() throws Exception {
        String unit = Files.readString(SERVICES.getParent().resolve("systemd/cohortflow@.service"));
        assertTrue(unit.contains("\nExecStart=/opt/cohortflow/cluster-config/bin/cohortflow serve %i --config /etc/cohortflow/%i.yaml\n"), unit);
        assertTrue(unit.contains("\nEnvironment=COHORTFLOW_JAR=/opt/cohortflow/cohortflow.jar\n"), unit);
        assertTrue(unit.contains("\nSuccessExitStatus=143\n"), "a JVM stopped by SIGTERM exits 143: " + unit);
    }
}
