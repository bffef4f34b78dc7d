package org.cohortflow.archive.source;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * The series this process fetched lately, kept in a private temporary folder by content hash, so that the jobs of
 * one subject that read the same series (image and mask, say) download it once: later jobs get hard links (or
 * copies, across file systems) in their own staging folder. At most {@code capacity} series are kept, least
 * recently used first out; concurrent requests for the same series share one download. The folder is removed when
 * the JVM exits.
 */
final class StagedSeries {
    private final int capacity;
    private final Map<String, CompletableFuture<Path>> byHash = new LinkedHashMap<>(16, 0.75f, true);
    private Path root;

    StagedSeries(int capacity) {
        this.capacity = capacity;
    }

    /**
     * A copy at {@code target} (which must not exist) of the series or instance with content hash {@code hash}.
     * {@code fetchInto} fetches it into a folder and returns the file or folder it made there, named as
     * {@code target} is: into a folder this cache owns when the cache has no copy, else (when the copy vanished)
     * into {@code target}'s folder.
     */
    Path stage(String hash, Path target, java.util.function.Function<Path, Path> fetchInto) {
        CompletableFuture<Path> mine = new CompletableFuture<>();
        CompletableFuture<Path> existing;
        synchronized (this) {
            existing = byHash.get(hash);
            if (existing == null || existing.isCompletedExceptionally()) {
                byHash.put(hash, mine);
                existing = null;
                evict();
            }
        }
        Path cached;
        if (existing == null) {
            try {
                cached = fetchInto.apply(root().resolve(hash));
                mine.complete(cached);
            } catch (RuntimeException e) {
                mine.completeExceptionally(e);
                synchronized (this) {
                    byHash.remove(hash, mine);
                }
                throw e;
            }
        } else {
            try {
                cached = existing.join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : e;
            }
        }
        return link(cached, target, () -> fetchInto.apply(target.getParent()));
    }

    /** Hard links (or copies) {@code from} to {@code to}; when the cached copy is gone, {@code fallback}. */
    private static Path link(Path from, Path to, Supplier<Path> fallback) {
        try {
            if (Files.isRegularFile(from)) {
                Files.createDirectories(to.getParent());
                linkOrCopy(from, to);
                return to;
            }
            Files.createDirectories(to);
            try (var s = Files.list(from)) {
                for (Path f : s.toList()) linkOrCopy(f, to.resolve(f.getFileName().toString()));
            }
            return to;
        } catch (IOException e) {
            // Evicted in the meantime: fetch straight into the target.
            deleteTree(to);
            return fallback.get();
        }
    }

    private static void linkOrCopy(Path from, Path to) throws IOException {
        try {
            Files.createLink(to, from);
        } catch (UnsupportedOperationException | IOException e) {
            Files.copy(from, to);
        }
    }

    private synchronized Path root() {
        if (root == null) {
            try {
                root = Files.createTempDirectory("cohortflow-staged-series-");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create a folder for staged series", e);
            }
            Path r = root;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(r), "remove-staged-series"));
        }
        return root;
    }

    /** Drops the least recently used series beyond the capacity (called holding the lock). */
    private void evict() {
        var it = byHash.entrySet().iterator();
        while (byHash.size() > capacity && it.hasNext()) {
            var e = it.next();
            it.remove();
            e.getValue().thenAccept(StagedSeries::deleteTree);
        }
    }

    private static void deleteTree(Path p) {
        if (p == null || !Files.exists(p)) return;
        try (var s = Files.walk(p)) {
            for (Path x : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(x);
        } catch (IOException e) {
            // a temporary folder left behind is harmless
        }
    }
}
