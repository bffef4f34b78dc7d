package org.cohortflow.intake;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.cohortflow.archive.dicomweb.Auth;
import org.cohortflow.archive.dicomweb.DicomWebClient;
import org.cohortflow.archive.dicomweb.DicomWebSettings;
import org.cohortflow.archive.dimse.DimseClient;
import org.cohortflow.archive.dimse.DimsePeer;
import org.cohortflow.intake.forward.DicomWebForwarder;
import org.cohortflow.intake.forward.DimseForwarder;
import org.cohortflow.intake.forward.FolderStore;
import org.cohortflow.intake.forward.Forwarder;
import org.cohortflow.server.config.ServiceConfig;

/**
 * The intake's own settings, under {@code settings:} in its service configuration:
 *
 * <pre>
 * settings:
 *   profile: /etc/cohortflow/sts-trial.yaml   # the project's profile (default DATA/profile.yaml, written on
 *                                             # first start with a generated secret and the Basic Profile)
 *   spool: /var/lib/cohortflow/intake/spool   # default DATA/spool
 *   dicom: {port: 11112, aet: INTAKE}         # the C-STORE SCP (absent: no DICOM listener)
 *   forward:                                  # one of (default: folder DATA/store)
 *     folder: /data/deidentified
 *     dicomweb: {url: http://archive:8042/dicom-web, user: intake, password: secret}
 *     dimse: {aet: ORTHANC, host: archive, port: 4242, callingAet: INTAKE}
 *   retry: {firstSeconds: 1, maxSeconds: 300}
 *   maxObjectMegabytes: 2048                  # larger objects go to quarantine
 *   studyQuietSeconds: 120                    # a study with no news for this long is complete
 *   watch: /data/dropbox                      # a watched folder (absent: none)
 *   governor: {url: http://governor:8081, token: TOKEN, study: sts-trial}   # notified of complete studies
 * </pre>
 */
public record IntakeSettings(Path profile, Path spool, Optional<DicomListener> dicom, ForwardTarget forward,
                             Duration firstRetry, Duration maxRetry, long maxObjectBytes, Duration studyQuiet,
                             Optional<Path> watch, Optional<Governor> governor) {

    /** The study governor to notify of complete studies. */
    public record Governor(URI url, String token, String study) {}

    /** The C-STORE SCP's port and AE title. */
    public record DicomListener(int port, String aet) {}

    /** Where objects are forwarded. */
    public sealed interface ForwardTarget {
        /** The forwarder for this target. */
        Forwarder open();
    }

    /** The folder store. */
    public record Folder(Path root) implements ForwardTarget {
        @Override
        public Forwarder open() {
            return new FolderStore(root);
        }
    }

    /** An archive over STOW-RS. */
    public record DicomWeb(URI url, Auth auth) implements ForwardTarget {
        @Override
        public Forwarder open() {
            // One attempt per call: the intake's queue does the retrying, with back-off that survives restarts.
            return new DicomWebForwarder(new DicomWebClient(DicomWebSettings.of(url, auth)
                    .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(60)).withRetries(1, Duration.ofMillis(100))));
        }
    }

    /** An archive over C-STORE. */
    public record Dimse(DimsePeer peer, String callingAet) implements ForwardTarget {
        @Override
        public Forwarder open() {
            return new DimseForwarder(new DimseClient(peer, callingAet));
        }
    }

    /** Reads the settings of a service configuration; an {@link IllegalArgumentException} names a bad one. */
    public static IntakeSettings of(ServiceConfig config) {
        Path data = config.dataDir();
        Path profile = config.setting("profile").map(Path::of).orElse(data.resolve("profile.yaml"));
        Path spool = config.setting("spool").map(data::resolve).orElse(data.resolve("spool"));
        Optional<DicomListener> dicom = config.setting("dicom.port")
                .map(p -> new DicomListener(integer(p, "settings.dicom.port", 1, 65535),
                        config.setting("dicom.aet").orElse("INTAKE")));
        ForwardTarget forward;
        if (config.setting("forward.dicomweb.url").isPresent()) {
            String user = config.setting("forward.dicomweb.user").orElse(null);
            Auth auth = user == null ? new Auth.None()
                    : new Auth.Basic(user, config.setting("forward.dicomweb.password").orElse(""));
            forward = new DicomWeb(URI.create(config.setting("forward.dicomweb.url").orElseThrow()), auth);
        } else if (config.setting("forward.dimse.host").isPresent()) {
            forward = new Dimse(new DimsePeer(config.setting("forward.dimse.aet").orElse("ARCHIVE"),
                    config.setting("forward.dimse.host").orElseThrow(),
                    integer(config.setting("forward.dimse.port").orElse("104"), "settings.forward.dimse.port", 1, 65535)),
                    config.setting("forward.dimse.callingAet").orElse("INTAKE"));
        } else {
            forward = new Folder(config.setting("forward.folder").map(data::resolve).orElse(data.resolve("store")));
        }
        Duration first = Duration.ofMillis(integer(config.setting("retry.firstSeconds").orElse("1"),
                "settings.retry.firstSeconds", 0, 86400) * 1000L);
        if (first.isZero()) {
            first = Duration.ofMillis(200);
        }
        Duration max = Duration.ofSeconds(integer(config.setting("retry.maxSeconds").orElse("300"),
                "settings.retry.maxSeconds", 1, 86400));
        long maxBytes = integer(config.setting("maxObjectMegabytes").orElse("2048"), "settings.maxObjectMegabytes", 1,
                1 << 20) * 1024L * 1024L;
        Duration quiet = Duration.ofSeconds(integer(config.setting("studyQuietSeconds").orElse("120"),
                "settings.studyQuietSeconds", 1, 7 * 86400));
        Optional<Path> watch = config.setting("watch").map(data::resolve);
        Optional<Governor> governor = config.setting("governor.url").map(u -> new Governor(URI.create(u),
                config.setting("governor.token").orElseThrow(() -> new IllegalArgumentException(
                        "intake: settings.governor.token is required with settings.governor.url")),
                config.setting("governor.study").orElseThrow(() -> new IllegalArgumentException(
                        "intake: settings.governor.study is required with settings.governor.url"))));
        return new IntakeSettings(profile, spool, dicom, forward, first, max, maxBytes, quiet, watch, governor);
    }

    private static int integer(String text, String name, int min, int max) {
        try {
            int v = Integer.parseInt(text.trim());
            if (v < min || v > max) {
                throw new IllegalArgumentException("intake: " + name + " must be from " + min + " to " + max + ", found " + v);
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("intake: " + name + " must be an integer, found '" + text + "'");
        }
    }
}
