package org.cohortflow.benchmarks.intake;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.cohortflow.archive.dicomweb.Auth;
import org.cohortflow.archive.dicomweb.DicomWebClient;
import org.cohortflow.archive.dicomweb.DicomWebSettings;
import org.cohortflow.archive.testing.ArchiveTestData;
import org.cohortflow.archive.testing.OrthancServer;
import org.cohortflow.intake.IntakeService;
import org.cohortflow.intake.deidentify.CsvIdMap;
import org.cohortflow.intake.deidentify.Deidentifier;
import org.cohortflow.intake.deidentify.FolderDeidentifier;
import org.cohortflow.intake.profile.Profile;
import org.cohortflow.intake.profile.ProfileReader;
import org.cohortflow.intake.queue.ObjectState;
import org.cohortflow.server.config.BootstrapAdmin;
import org.cohortflow.server.config.DatabaseSettings;
import org.cohortflow.server.config.ServiceConfig;

/**
 * The intake against sending straight to the archive (issue 16, "Benchmark"), in one run on the STS cohort and
 * the IBSI CT phantom: dcmtk's storescu straight into a real Orthanc, against storescu into the intake, which
 * de-identifies and forwards over STOW-RS to a second Orthanc, timed until the last object is forwarded.
 * The stages are also timed alone on the same objects: receive (storescu into an intake that only spools),
 * de-identify (offline, one thread, written to a folder) and forward (STOW-RS of the de-identified files one
 * request per object, as the intake's worker sends them).
 * Usage: {@code IntakeBenchmark}. Needs Debian's orthanc, orthanc-dicomweb and dcmtk.
 */
public final class IntakeBenchmark {
    private IntakeBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = System.out;
        List<Path> inputs = List.of(ArchiveTestData.stsDicom(), ArchiveTestData.ctPhantomDicom());
        List<Path> files = new ArrayList<>();
        for (Path in : inputs) {
            try (Stream<Path> s = Files.walk(in)) {
                s.filter(Files::isRegularFile).sorted().forEach(files::add);
            }
        }
        long bytes = 0;
        for (Path f : files) {
            bytes += Files.size(f);
        }
        int n = files.size();
        double mb = bytes / 1e6;
        out.printf(Locale.ROOT, "%d objects, %.1f MB%n", n, mb);
        Path tmp = Files.createTempDirectory("cohortflow-intake-bench-");
        Path profileFile = tmp.resolve("profile.yaml");
        Files.writeString(profileFile, "project: bench\nsecret: benchmark-secret-0123456789\noptions: [retainLongitudinalModifiedDates]\n");
        Profile profile = ProfileReader.read(profileFile);
        Auth auth = new Auth.Basic(OrthancServer.USER, OrthancServer.PASSWORD);

        double direct;
        double pipeline;
        double receive;
        try (OrthancServer straight = OrthancServer.start(tmp.resolve("orthanc-direct"))) {
            long t = System.nanoTime();
            storescu("ORTHANC", straight.dicomPort(), inputs);
            direct = secs(t);
            check(straight.instanceCount() == n, "Orthanc holds " + straight.instanceCount() + " of " + n);
        }
        try (OrthancServer archive = OrthancServer.start(tmp.resolve("orthanc-intake"))) {
            int port = OrthancServer.freePort();
            try (IntakeService.Running intake = new IntakeService().start(config(tmp.resolve("intake"), profileFile, port,
                    Map.of("dicomweb", Map.of("url", archive.dicomWebRoot().toString(), "user", OrthancServer.USER,
                            "password", OrthancServer.PASSWORD))))) {
                long t = System.nanoTime();
                storescu("INTAKE", port, inputs);
                double acked = secs(t);
                while (intake.count(ObjectState.FORWARDED) + intake.count(ObjectState.QUARANTINED) < n) {
                    Thread.sleep(50);
                }
                pipeline = secs(t);
                out.printf(Locale.ROOT, "  (storescu had its last acknowledgement from the intake after %.1f s)%n", acked);
                check(archive.instanceCount() == n, "Orthanc holds " + archive.instanceCount() + " of " + n);
            }
        }
        // Receive alone: an intake whose forwarding target is a folder and whose worker has nothing to compete with.
        int port = OrthancServer.freePort();
        try (IntakeService.Running intake = new IntakeService().start(config(tmp.resolve("intake-receive"), profileFile, port,
                Map.of("folder", tmp.resolve("store").toString())))) {
            long t = System.nanoTime();
            storescu("INTAKE", port, inputs);
            receive = secs(t);
        }
        long t = System.nanoTime();
        Path deidentified = tmp.resolve("deidentified");
        FolderDeidentifier folder = new FolderDeidentifier(new Deidentifier(profile, new CsvIdMap("B-")));
        for (Path in : inputs) {
            folder.run(in, deidentified);
        }
        double deidentify = secs(t);
        double forward;
        try (OrthancServer archive = OrthancServer.start(tmp.resolve("orthanc-forward"))) {
            DicomWebClient client = new DicomWebClient(DicomWebSettings.of(archive.dicomWebRoot(), auth));
            List<Path> written;
            try (Stream<Path> s = Files.walk(deidentified)) {
                written = s.filter(Files::isRegularFile).sorted().toList();
            }
            t = System.nanoTime();
            for (Path f : written) {
                client.store(List.of(f));
            }
            forward = secs(t);
        }

        out.println();
        out.println("| route | s | objects/s | MB/s | direct / route |");
        out.println("|---|---:|---:|---:|---:|");
        row(out, "storescu -> Orthanc", direct, n, mb, direct);
        row(out, "storescu -> intake -> STOW-RS -> Orthanc", pipeline, n, mb, direct);
        out.println();
        out.println("| stage alone | s | objects/s | share of the stages' sum |");
        out.println("|---|---:|---:|---:|");
        double sum = receive + deidentify + forward;
        for (Object[] s : new Object[][] {{"receive (storescu -> spool + queue)", receive}, {"de-identify (one thread)", deidentify},
                {"forward (STOW-RS, one object per request)", forward}}) {
            double v = (Double) s[1];
            out.printf(Locale.ROOT, "| %s | %.1f | %.1f | %.0f %% |%n", s[0], v, n / v, 100 * v / sum);
        }
    }

    private static ServiceConfig config(Path data, Path profile, int dicomPort, Map<String, Object> forward) {
        return new ServiceConfig(IntakeService.NAME, "127.0.0.1", 0, data, DatabaseSettings.h2File(data),
                new BootstrapAdmin("admin", "benchmark-admin-password"), null, Map.of("profile", profile.toString(),
                "dicom", Map.of("port", Integer.toString(dicomPort), "aet", "INTAKE"), "forward", forward,
                "retry", Map.of("firstSeconds", "0", "maxSeconds", "2")));
    }

    private static void storescu(String called, int port, List<Path> inputs) {
        List<String> cmd = new ArrayList<>(List.of("storescu", "-aet", "BENCH", "-aec", called, "+sd", "+r", "-nh",
                "127.0.0.1", Integer.toString(port)));
        inputs.forEach(p -> cmd.add(p.toString()));
        ArchiveTestData.run(cmd, 1800);
    }

    private static void row(PrintStream out, String name, double s, int n, double mb, double direct) {
        out.printf(Locale.ROOT, "| %s | %.1f | %.1f | %.1f | %.2f |%n", name, s, n / s, mb / s, direct / s);
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalStateException(message);
        }
    }

    private static double secs(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }
}
