package org.cohortflow.intake;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.cohortflow.intake.deidentify.Deidentifier;
import org.cohortflow.intake.forward.Forwarder;
import org.cohortflow.intake.http.IntakeRoutes;
import org.cohortflow.intake.idmap.DatabaseIdMap;
import org.cohortflow.intake.profile.Filters;
import org.cohortflow.intake.profile.Profile;
import org.cohortflow.intake.profile.ProfileReader;
import org.cohortflow.intake.queue.ObjectQueue;
import org.cohortflow.intake.queue.ObjectState;
import org.cohortflow.intake.receive.DicomReceiver;
import org.cohortflow.intake.receive.FolderWatcher;
import org.cohortflow.intake.receive.StowReceiver;
import org.cohortflow.intake.spool.Spool;
import org.cohortflow.intake.worker.Pipeline;
import org.cohortflow.intake.tracking.StudyTracker;
import org.cohortflow.intake.tracking.GovernorNotifier;
import org.cohortflow.intake.worker.Worker;
import org.cohortflow.server.RunningService;
import org.cohortflow.server.Service;
import org.cohortflow.server.ServiceKit;
import org.cohortflow.server.config.ServiceConfig;
import org.cohortflow.server.http.ServiceServer;

/**
 * The intake service ({@code cohortflow serve intake}): receives DICOM, de-identifies it with the project's
 * profile and forwards it to the archive or a folder store, from a durable spool and queue. Found by the
 * command line through {@link java.util.ServiceLoader}.
 */
public final class IntakeService implements Service {
    /** The service's name and database schema. */
    public static final String NAME = "intake";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "receives DICOM (C-STORE), de-identifies it (PS3.15 Annex E) and forwards it to the archive";
    }

    @Override
    public Running start(ServiceConfig config) {
        IntakeSettings settings = IntakeSettings.of(config);
        if (config.setting("profile").isEmpty()) {
            writeDefaultProfile(settings.profile());
        }
        Profile profile = ProfileReader.read(settings.profile());
        ServiceKit kit = ServiceKit.open(config, "db/intake", System.out);
        Worker worker = null;
        DicomReceiver receiver = null;
        FolderWatcher watcher = null;
        try {
            Spool spool = new Spool(settings.spool());
            ObjectQueue queue = new ObjectQueue(kit.clock());
            DatabaseIdMap ids = new DatabaseIdMap(kit.database(), profile.pseudonymPrefix(), kit.clock());
            // A released object skips what put it in quarantine: the filters and the burned-in rule.
            Profile released = new Profile(profile.project(), profile.secret(), profile.options(), profile.maxShiftDays(),
                    profile.pseudonymPrefix(), profile.keep(), profile.replace(), profile.remove(), Profile.BurnedIn.ACCEPT,
                    Filters.none(), profile.scans());
            Forwarder forwarder = settings.forward().open();
            Pipeline pipeline = new Pipeline(kit.database(), queue, kit.audit(), spool, new Deidentifier(profile, ids),
                    new Deidentifier(released, ids), forwarder, settings.maxObjectBytes(), settings.firstRetry(),
                    settings.maxRetry());
            recover(kit, queue, spool);
            StudyTracker tracker = new StudyTracker(kit.database(), kit.audit(), kit.clock(), settings.studyQuiet());
            Optional<GovernorNotifier> notifier = settings.governor().map(g ->
                    new GovernorNotifier(g, kit.database(), kit.audit(), forwarder, kit.clock()));
            worker = new Worker(kit.database(), queue, pipeline, kit.clock(), () -> {
                tracker.check();
                notifier.ifPresent(GovernorNotifier::notifyPending);
            });
            Worker w = worker;
            if (settings.dicom().isPresent()) {
                receiver = new DicomReceiver(settings.dicom().get().port(), settings.dicom().get().aet(), spool.incoming(),
                        pipeline, w::wake);
            }
            if (settings.watch().isPresent()) {
                watcher = new FolderWatcher(settings.watch().get(), pipeline, w::wake);
            }
            IntakeRoutes routes = new IntakeRoutes(kit, queue, spool, profile.project(), forwarder.describe(), w::wake);
            StowReceiver stow = new StowReceiver(pipeline, settings.maxObjectBytes(), w::wake);
            ServiceServer server = kit.serve(version(), api -> {
                routes.register(api);
                stow.register(api);
            });
            return new Running(kit, server, worker, Optional.ofNullable(receiver), Optional.ofNullable(watcher));
        } catch (RuntimeException e) {
            if (watcher != null) {
                watcher.close();
            }
            if (receiver != null) {
                receiver.close();
            }
            if (worker != null) {
                worker.close();
            }
            kit.close();
            throw e;
        }
    }

    /**
     * After a kill: partial files are dropped (never acknowledged), spooled files without a queue row (killed
     * between the rename and the insert) are queued, and files of forwarded or deleted objects are removed.
     */
    private static void recover(ServiceKit kit, ObjectQueue queue, Spool spool) {
        try {
            spool.clearIncoming();
            Set<String> known = new HashSet<>(kit.database().withHandle(h ->
                    h.createQuery("SELECT spool_name FROM intake_object").mapTo(String.class).list()));
            for (String name : spool.receivedNames()) {
                if (!known.contains(name)) {
                    long bytes = Files.size(spool.received(name));
                    kit.database().useTransaction(h -> {
                        queue.add(h, name, "recovered", "spool", bytes);
                        kit.audit().record(h, Pipeline.ACTOR, "object.recover", "spool/" + name, "spooled before a kill");
                    });
                }
            }
            for (String name : kit.database().withHandle(h -> h.createQuery(
                    "SELECT spool_name FROM intake_object WHERE state IN ('FORWARDED', 'DELETED')").mapTo(String.class).list())) {
                Files.deleteIfExists(spool.received(name));
                Files.deleteIfExists(spool.deidentified(name));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot recover the spool", e);
        }
    }

    /**
     * On embedded defaults (no profile configured): a profile in the data folder with the Basic Profile and a
     * generated secret, written once and kept (the secret must not change within a project).
     */
    private static void writeDefaultProfile(java.nio.file.Path file) {
        if (Files.exists(file)) {
            return;
        }
        byte[] random = new byte[24];
        new java.security.SecureRandom().nextBytes(random);
        String text = "# Written by the intake on first start; edit it (see docs/intake.md). Keep the secret.\n"
                + "project: default\nsecret: " + java.util.HexFormat.of().formatHex(random) + "\noptions: []\n";
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            java.nio.file.Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), ".profile-", ".yaml");
            Files.writeString(tmp, text);
            org.cohortflow.intake.deidentify.DicomFiles.moveAtomically(tmp, file);
            System.out.println("intake: wrote a default profile to " + file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the default profile " + file, e);
        }
    }

    private static String version() {
        String v = IntakeService.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    /** A started intake. */
    public static final class Running implements RunningService {
        private final ServiceKit kit;
        private final ServiceServer server;
        private final Worker worker;
        private final Optional<DicomReceiver> receiver;
        private final Optional<FolderWatcher> watcher;

        Running(ServiceKit kit, ServiceServer server, Worker worker, Optional<DicomReceiver> receiver,
                Optional<FolderWatcher> watcher) {
            this.watcher = watcher;
            this.kit = kit;
            this.server = server;
            this.worker = worker;
            this.receiver = receiver;
        }

        @Override
        public String name() {
            return NAME;
        }

        @Override
        public URI baseUri() {
            return server.baseUri();
        }

        /** The service's kit (database, users, tokens), for tests and embedding. */
        public ServiceKit kit() {
            return kit;
        }

        /** How many objects are in a state. */
        public long count(ObjectState state) {
            return kit.database().withHandle(h -> new ObjectQueue(kit.clock()).counts(h).get(state));
        }

        @Override
        public void close() {
            try {
                receiver.ifPresent(DicomReceiver::close);
                watcher.ifPresent(FolderWatcher::close);
                server.close();
            } finally {
                worker.close();
                kit.close();
            }
        }
    }
}
