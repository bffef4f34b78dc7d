package org.cohortflow.intake.receive;

import java.nio.file.Path;
import org.cohortflow.archive.dimse.StorageReceiver;
import org.cohortflow.intake.worker.Pipeline;

/**
 * The intake's C-STORE SCP: the archive module's {@link StorageReceiver} with the intake's handler. PixelMed calls
 * the handler with the complete file before it sends the C-STORE response, so the object is in the durable spool
 * and the queue before the sender hears it arrived; when the spool or the queue refuses it, the handler throws and
 * the sender gets no acknowledgement (an acknowledged object must never be lost).
 */
public final class DicomListener {
    /** The queue's source name of objects received over DIMSE. */
    public static final String SOURCE = "dimse";

    private DicomListener() {}

    /**
     * Starts listening on {@code port} as {@code aet}; received files land below {@code incoming} first, then the
     * pipeline takes them into the spool and {@code onReceived} wakes the worker.
     */
    public static StorageReceiver start(int port, String aet, Path incoming, Pipeline pipeline, Runnable onReceived) {
        return new StorageReceiver(port, aet, incoming.resolve(SOURCE), StorageReceiver.Layout.HASHED_SUBFOLDERS,
                (file, callingAet) -> {
                    pipeline.receive(file, SOURCE, callingAet);
                    onReceived.run();
                });
    }
}
