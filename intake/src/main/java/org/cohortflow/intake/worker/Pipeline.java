package org.cohortflow.intake.worker;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.TagFromName;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.cohortflow.intake.deidentify.Deidentifier;
import org.cohortflow.intake.deidentify.DicomFiles;
import org.cohortflow.intake.deidentify.Outcome;
import org.cohortflow.intake.forward.Forwarder;
import org.cohortflow.intake.queue.IntakeObject;
import org.cohortflow.intake.queue.ObjectQueue;
import org.cohortflow.intake.queue.ObjectState;
import org.cohortflow.intake.spool.Spool;
import org.cohortflow.server.audit.AuditLog;
import org.cohortflow.server.db.Database;

/**
 * The stages one queued object goes through: receive into the spool (with its queue row), de-identify
 * (or quarantine with the reason), forward (or retry later with back-off). Each step ends in one
 * transaction that records the new state; the files it depends on are durable before that transaction.
 */
public final class Pipeline {
    /** The audit log's actor for what the intake does by itself. */
    public static final String ACTOR = "intake";

    private final Database db;
    private final ObjectQueue queue;
    private final AuditLog audit;
    private final Spool spool;
    private final Deidentifier deidentifier;
    private final Deidentifier releasedDeidentifier;
    private final Forwarder forwarder;
    private final Set<String> allowedSenders;
    private final long maxBytes;
    private final Duration firstRetry;
    private final Duration maxRetry;

    public Pipeline(Database db, ObjectQueue queue, AuditLog audit, Spool spool, Deidentifier deidentifier,
                    Deidentifier releasedDeidentifier, Forwarder forwarder, long maxBytes, Duration firstRetry,
                    Duration maxRetry) {
        this.db = db;
        this.queue = queue;
        this.audit = audit;
        this.spool = spool;
        this.deidentifier = deidentifier;
        this.releasedDeidentifier = releasedDeidentifier;
        this.forwarder = forwarder;
        this.allowedSenders = deidentifier.profile().filters().callingAets();
        this.maxBytes = maxBytes;
        this.firstRetry = firstRetry;
        this.maxRetry = maxRetry;
    }

    /**
     * Takes a complete received file into the spool and the queue. When this returns the object is durable
     * and may be acknowledged to the sender.
     */
    public void receive(Path file, String source, String sender) throws IOException {
        long bytes = Files.size(file);
        String name = spool.accept(file);
        db.useTransaction(h -> {
            queue.add(h, name, source, sender, bytes);
            audit.record(h, ACTOR, "object.receive", "spool/" + name, source + " from " + sender + ", " + bytes + " bytes");
        });
    }

    /** The spool (receivers write partial files into its incoming folder). */
    public Spool spool() {
        return spool;
    }

    /**
     * Does the next step for one due object. An unexpected error is recorded as a failed attempt with
     * back-off, so that one bad object never holds up the others.
     */
    public void step(IntakeObject o) {
        try {
            if (o.state() == ObjectState.RECEIVED) {
                deidentify(o);
            } else if (o.state() == ObjectState.DEIDENTIFIED) {
                forward(o);
            }
        } catch (RuntimeException e) {
            retry(o, "unexpected error: " + e);
        }
    }

    private void deidentify(IntakeObject o) {
        Path file = spool.received(o.spoolName());
        if (!Files.exists(file)) {
            quarantine(o, "MISSING", "the spool file " + file + " is gone");
            return;
        }
        if (!o.released() && "dimse".equals(o.source()) && !allowedSenders.isEmpty() && !allowedSenders.contains(o.sender())) {
            quarantine(o, "SENDER", "calling AE title '" + o.sender() + "' is not on the profile's allow-list");
            return;
        }
        if (o.bytes() > maxBytes) {
            quarantine(o, "TOO_LARGE", o.bytes() + " bytes is more than the limit of " + maxBytes);
            return;
        }
        AttributeList list;
        try {
            list = DicomFiles.read(file);
        } catch (DicomFiles.NotDicomException e) {
            quarantine(o, Outcome.Reason.NOT_DICOM.name(), e.getMessage());
            return;
        } catch (IOException e) {
            retry(o, "cannot read the spool file: " + e);
            return;
        }
        String modality = Attribute.getSingleStringValueOrNull(list, TagFromName.Modality);
        // The label is chosen on the description as the scanner sent it: de-identification removes it.
        String scanLabel = deidentifier.profile().scanLabel(modality,
                Attribute.getSingleStringValueOrNull(list, TagFromName.SeriesDescription)).orElse(null);
        Outcome outcome = (o.released() ? releasedDeidentifier : deidentifier).deidentify(list);
        if (outcome instanceof Outcome.Quarantined q) {
            quarantine(o, q.reason().name(), q.detail());
            return;
        }
        Outcome.Deidentified d = (Outcome.Deidentified) outcome;
        try {
            DicomFiles.write(list, spool.deidentified(o.spoolName()));
        } catch (IOException e) {
            retry(o, "cannot write the de-identified copy: " + e);
            return;
        }
        db.useTransaction(h -> {
            queue.deidentified(h, o.id(), modality, scanLabel, d.pseudonym(), d.studyUid(), d.seriesUid(), d.sopUid());
            audit.record(h, ACTOR, "object.deidentify", "object/" + o.id(), d.pseudonym() + " " + d.sopUid());
        });
    }

    private void forward(IntakeObject o) {
        Path file = spool.deidentified(o.spoolName());
        try {
            forwarder.forward(file, o);
        } catch (Exception e) {
            retry(o, forwarder.describe() + ": " + e.getMessage());
            return;
        }
        db.useTransaction(h -> {
            queue.forwarded(h, o.id());
            audit.record(h, ACTOR, "object.forward", "object/" + o.id(), forwarder.describe());
        });
        try {
            Files.deleteIfExists(file);
            Files.deleteIfExists(spool.received(o.spoolName()));
        } catch (IOException e) {
            // Left-over spool files of forwarded objects are removed at the next start.
        }
    }

    private void quarantine(IntakeObject o, String reason, String detail) {
        db.useTransaction(h -> {
            queue.quarantine(h, o.id(), reason, detail);
            audit.record(h, ACTOR, "object.quarantine", "object/" + o.id(), reason + ": " + detail);
        });
    }

    private void retry(IntakeObject o, String error) {
        long factor = 1L << Math.min(o.attempts(), 20);
        Duration wait = firstRetry.multipliedBy(factor);
        if (wait.compareTo(maxRetry) > 0) {
            wait = maxRetry;
        }
        Duration backoff = wait;
        db.useTransaction(h -> queue.failed(h, o.id(), error, backoff));
    }
}
