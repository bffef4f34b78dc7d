package org.cohortflow.intake.receive;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.cohortflow.intake.worker.Pipeline;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The watched folder (a drop box): every second, files whose size has not changed since the last look are
 * copied into the spool, queued, and then deleted from the folder. A kill between the queueing and the
 * deletion makes the file come in twice, which the archive's keying by UID makes harmless.
 */
public final class FolderWatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FolderWatcher.class);
    private final Path folder;
    private final Pipeline pipeline;
    private final Runnable wake;
    private final Map<Path, Long> sizes = new HashMap<>();
    private final Thread thread;
    private volatile boolean closed;

    public FolderWatcher(Path folder, Pipeline pipeline, Runnable wake) {
        this.folder = folder;
        this.pipeline = pipeline;
        this.wake = wake;
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot create the watched folder " + folder, e);
        }
        thread = new Thread(this::loop, "intake-watch");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        while (!closed) {
            try {
                scan();
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (IOException | RuntimeException e) {
                LOG.warn("watched folder {}: {}", folder, e.toString());
            }
        }
    }

    private void scan() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.walk(folder)) {
            files = s.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList();
        }
        boolean any = false;
        for (Path f : files) {
            long size = Files.size(f);
            Long before = sizes.put(f, size);
            if (before == null || before != size) {
                continue;
            }
            Path tmp = Files.createTempFile(pipeline.spool().incoming(), "drop-", ".part");
            try {
                Files.copy(f, tmp, StandardCopyOption.REPLACE_EXISTING);
                pipeline.receive(tmp, "folder", folder.relativize(f).toString());
            } finally {
                Files.deleteIfExists(tmp);
            }
            Files.delete(f);
            sizes.remove(f);
            any = true;
        }
        sizes.keySet().removeIf(p -> !Files.exists(p));
        if (any) {
            wake.run();
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
