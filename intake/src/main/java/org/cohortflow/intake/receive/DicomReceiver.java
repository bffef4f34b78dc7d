package org.cohortflow.intake.receive;

import com.pixelmed.network.ReceivedObjectHandler;
import com.pixelmed.network.StorageSOPClassSCPDispatcher;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.cohortflow.intake.worker.Pipeline;

/**
 * The intake's C-STORE SCP (PixelMed's dispatcher, which also answers C-ECHO). PixelMed calls the handler
 * with the complete file before it sends the C-STORE response, so the object is in the durable spool and the
 * queue before the sender hears it arrived. Unknown SOP classes are refused in association negotiation.
 */
public final class DicomReceiver implements AutoCloseable {
    private final StorageSOPClassSCPDispatcher dispatcher;
    private final Thread thread;

    /** Starts listening on {@code port} as {@code aet}; received files land in {@code incoming} first. */
    public DicomReceiver(int port, String aet, Path incoming, Pipeline pipeline, Runnable onReceived) {
        try {
            Path folder = incoming.resolve("dimse");
            Files.createDirectories(folder);
            dispatcher = new StorageSOPClassSCPDispatcher(port, aet, folder.toFile(),
                    com.pixelmed.dicom.StoredFilePathStrategy.BYSOPINSTANCEUIDHASHSUBFOLDERS, new ReceivedObjectHandler() {
                        @Override
                        public void sendReceivedObjectIndication(String file, String transferSyntax, String callingAe)
                                throws IOException {
                            pipeline.receive(Path.of(file), "dimse", callingAe == null ? "" : callingAe.trim());
                            onReceived.run();
                        }
                    });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen for DICOM on port " + port, e);
        }
        thread = new Thread(dispatcher, "intake-scp-" + aet);
        thread.setDaemon(true);
        thread.start();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!dispatcher.isReady() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
    }

    @Override
    public void close() {
        dispatcher.shutdown();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
