package org.cohortflow.archive.dimse;

import com.pixelmed.dicom.StoredFilePathStrategy;
import com.pixelmed.network.ReceivedObjectHandler;
import com.pixelmed.network.StorageSOPClassSCPDispatcher;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A C-STORE receiver (storage SCP, PixelMed's dispatcher) that writes what it receives below a folder and hands
 * each complete file to a {@link Handler} before the sender is answered: the destination of a C-MOVE, or the
 * DICOM listener of an intake. Also answers C-ECHO; SOP classes it does not know are refused in association
 * negotiation. {@link #close()} stops it.
 */
public final class StorageReceiver implements AutoCloseable {
    /** How received files are laid out below the folder (they are named by SOP Instance UID). */
    public enum Layout {
        /** All files in the folder itself. */
        SINGLE_FOLDER(StoredFilePathStrategy.BYSOPINSTANCEUIDINSINGLEFOLDER),
        /** In subfolders by a hash of the UID, so that no folder grows too large for a long-running listener. */
        HASHED_SUBFOLDERS(StoredFilePathStrategy.BYSOPINSTANCEUIDHASHSUBFOLDERS);

        private final StoredFilePathStrategy strategy;

        Layout(StoredFilePathStrategy strategy) {
            this.strategy = strategy;
        }
    }

    /** What is done with each received object. */
    @FunctionalInterface
    public interface Handler {
        /**
         * Called with the complete received file before the C-STORE response is sent. Throwing refuses the
         * object: the association is aborted without a response, so the sender never hears that an object
         * arrived which was not kept (and sends it again).
         *
         * @param file       the received file below the receiver's folder; the handler may move it
         * @param callingAet the sender's AE title, trimmed; empty when unknown
         */
        void received(Path file, String callingAet) throws IOException;
    }

    private final StorageSOPClassSCPDispatcher dispatcher;
    private final Thread thread;
    private final Path folder;
    private final List<Path> received;

    /**
     * Starts listening on {@code port} as {@code aet}, storing into {@code folder} and keeping the files there
     * (listed by {@link #received()}).
     */
    public StorageReceiver(int port, String aet, Path folder) {
        this(port, aet, folder, Layout.SINGLE_FOLDER, null, new ArrayList<>());
    }

    /**
     * Starts listening on {@code port} as {@code aet}, writing each object below {@code folder} as
     * {@code layout} says and handing it to {@code handler}, which decides whether it is acknowledged.
     */
    public StorageReceiver(int port, String aet, Path folder, Layout layout, Handler handler) {
        this(port, aet, folder, layout, handler, null);
    }

    private StorageReceiver(int port, String aet, Path folder, Layout layout, Handler handler, List<Path> collected) {
        this.folder = folder;
        this.received = collected;
        Handler h = collected == null ? handler : (file, sender) -> {
            synchronized (collected) {
                collected.add(file);
            }
        };
        try {
            Files.createDirectories(folder);
            dispatcher = new StorageSOPClassSCPDispatcher(port, aet, folder.toFile(), layout.strategy,
                    new ReceivedObjectHandler() {
                        @Override
                        public void sendReceivedObjectIndication(String file, String transferSyntax, String callingAe)
                                throws IOException {
                            h.received(Path.of(file), callingAe == null ? "" : callingAe.trim());
                        }
                    });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen for DICOM on port " + port, e);
        }
        thread = new Thread(dispatcher, "storage-receiver-" + aet);
        thread.setDaemon(true);
        thread.start();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!dispatcher.isReady() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
    }

    /**
     * The files received so far, in arrival order, by a receiver that keeps them (the three-argument
     * constructor); a receiver with a handler keeps no list, its handler decides what becomes of each file.
     *
     * @throws IllegalStateException on a receiver with a handler
     */
    public List<Path> received() {
        if (received == null) {
            throw new IllegalStateException("this receiver hands its files to a handler and keeps no list");
        }
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    /** The folder received files are written below. */
    public Path folder() {
        return folder;
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
