package org.cohortflow.archive.dimse;

import com.pixelmed.network.ReceivedObjectHandler;
import com.pixelmed.network.StorageSOPClassSCPDispatcher;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A C-STORE receiver (storage SCP, PixelMed's dispatcher) that writes what it receives into a folder: the
 * destination of a C-MOVE, or the DICOM listener of an intake. Also answers C-ECHO. {@link #close()} stops it.
 */
public final class StorageReceiver implements AutoCloseable {
    private final StorageSOPClassSCPDispatcher dispatcher;
    private final Thread thread;
    private final List<Path> received = new ArrayList<>();
    private final Path folder;

    /** Starts listening on {@code port} as {@code aet}, storing into {@code folder}. */
    public StorageReceiver(int port, String aet, Path folder) {
        this.folder = folder;
        try {
            Files.createDirectories(folder);
            dispatcher = new StorageSOPClassSCPDispatcher(port, aet, folder.toFile(),
                    com.pixelmed.dicom.StoredFilePathStrategy.BYSOPINSTANCEUIDINSINGLEFOLDER, new ReceivedObjectHandler() {
                        @Override
                        public void sendReceivedObjectIndication(String file, String transferSyntax, String callingAe) {
                            synchronized (received) {
                                received.add(Path.of(file));
                            }
                        }
                    });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen for DICOM on port " + port, e);
        }
        thread = new Thread(dispatcher, "storage-receiver-" + aet);
        thread.setDaemon(true);
        thread.start();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!dispatcher.isReady() && System.nanoTime() < deadline) Thread.onSpinWait();
    }

    /** The files received so far, in arrival order. */
    public List<Path> received() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

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
