package org.cohortflow.intake.spool;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.cohortflow.intake.deidentify.DicomFiles;

/**
 * The intake's durable spool: a received object is forced to disk and renamed into {@code received/} before
 * anyone is told it arrived, so an acknowledged object survives a kill at any moment. De-identified copies
 * wait in {@code deidentified/} under the same name until forwarded.
 */
public final class Spool {
    private final Path incoming;
    private final Path received;
    private final Path deidentified;

    /** A spool under {@code root} (folders created when absent). */
    public Spool(Path root) {
        this.incoming = root.resolve("incoming");
        this.received = root.resolve("received");
        this.deidentified = root.resolve("deidentified");
        try {
            Files.createDirectories(incoming);
            Files.createDirectories(received);
            Files.createDirectories(deidentified);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the spool under " + root, e);
        }
    }

    /** Where receivers write partial files (same file system as the spool, so the final rename is atomic). */
    public Path incoming() {
        return incoming;
    }

    /** Makes a complete file durable and moves it into the spool; returns its spool name. */
    public String accept(Path file) throws IOException {
        DicomFiles.force(file);
        String name = UUID.randomUUID() + ".dcm";
        DicomFiles.moveAtomically(file, received.resolve(name));
        DicomFiles.force(received);
        return name;
    }

    /** Writes bytes durably into the spool; returns the spool name. */
    public String accept(byte[] bytes) throws IOException {
        Path tmp = Files.createTempFile(incoming, "in-", ".part");
        try {
            Files.write(tmp, bytes);
            return accept(tmp);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** The received object of a spool name. */
    public Path received(String name) {
        return received.resolve(name);
    }

    /** The de-identified copy of a spool name. */
    public Path deidentified(String name) {
        return deidentified.resolve(name);
    }

    /** Every received file's spool name (to find files a kill left without a queue row). */
    public List<String> receivedNames() throws IOException {
        try (Stream<Path> s = Files.list(received)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".dcm")).map(p -> p.getFileName().toString())
                    .sorted().toList();
        }
    }

    /** Removes partial files a kill left in {@code incoming/} (never acknowledged). */
    public void clearIncoming() throws IOException {
        try (Stream<Path> s = Files.list(incoming)) {
            for (Path p : s.toList()) {
                if (Files.isRegularFile(p)) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}
