package org.cohortflow.executors.cache;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.cohortflow.dsl.types.FileType;
import org.cohortflow.executors.storage.RunLayout;
import org.cohortflow.executors.storage.Storage;

/**
 * Content hashes of file and folder inputs (sources, file literals), taken once per content: each hash is kept
 * with the input's stamp (path, size and modification time of each file, {@link Storage#stamp}) in the work
 * folder ({@code <work>/.input-hashes/}), and used again as long as the stamp is the same: in this run (a series
 * read by two jobs of a sample), in every resumed one and in every later run of the same work folder, as Make and
 * Nextflow do. So a run over a large DICOM cohort whose files did not change lists their metadata instead of
 * reading every byte again. The file types an input was found valid as are kept with its hash, so that a DICOM
 * series is not parsed once more before each job that reads it. With {@code rehash} every input is read and hashed
 * (and validated) again, the strict mode for files changed without a change of size or time; the kept hashes are
 * renewed.
 */
public final class InputHashes {
    private final Storage storage;
    private final URI folder;
    private final boolean rehash;
    /** What this JVM knows, by record name and stamp. */
    private final Map<String, Known> seen = new ConcurrentHashMap<>();

    /** A hash and the file types the content was found valid as. */
    private record Known(String hash, Set<String> valid) {}

    /** An input's content hash with the stamp it holds for ({@code null} when its storage gives none). */
    public record Hashed(String hash, String stamp) {}

    /**
     * @param folder where the hashes are kept ({@link RunLayout#inputHashes})
     */
    public InputHashes(Storage storage, URI folder, boolean rehash) {
        this.storage = storage;
        this.folder = folder;
        this.rehash = rehash;
    }

    /** The content hash of {@code uri} as {@link Storage#contentHash(URI, FileType.Members)} gives it. */
    public String hash(URI uri, FileType.Members members) throws IOException {
        return hashed(uri, members).hash();
    }

    /** The content hash of {@code uri}, with the stamp it was kept or taken for. */
    public Hashed hashed(URI uri, FileType.Members members) throws IOException {
        String stamp = storage.stamp(uri);
        if (stamp == null) {
            return new Hashed(storage.contentHash(uri, members), null);
        }
        String name = name(uri, members);
        if (!rehash) {
            Known known = seen.get(name + stamp);
            if (known != null) {
                return new Hashed(known.hash(), stamp);
            }
            String[] kept = read(Storage.resolve(folder, name));
            if (kept != null && kept[0].equals(stamp)) {
                Set<String> valid = ConcurrentHashMap.newKeySet();
                valid.addAll(List.of(kept).subList(2, kept.length));
                seen.putIfAbsent(name + stamp, new Known(kept[1], valid));
                return new Hashed(kept[1], stamp);
            }
        }
        String hash = storage.contentHash(uri, members);
        // Only a stamp that held while the bytes were read is kept: a file written meanwhile is hashed again next time.
        if (stamp.equals(storage.stamp(uri))) {
            Known k = new Known(hash, ConcurrentHashMap.newKeySet());
            seen.put(name + stamp, k);
            keep(name, stamp, k);
            return new Hashed(hash, stamp);
        }
        return new Hashed(hash, null);
    }

    /**
     * Whether the content of {@code uri} with {@code stamp} (from {@link #hashed}) was found a valid {@code type}
     * before: in this JVM, or in an earlier run of the work folder. Never with {@code rehash}.
     */
    public boolean knownValid(URI uri, FileType.Members members, String stamp, String type) {
        if (stamp == null) {
            return false;
        }
        Known k = seen.get(name(uri, members) + stamp);
        return k != null && k.valid().contains(type);
    }

    /** Notes that the content of {@code uri} with {@code stamp} (from {@link #hashed}) is a valid {@code type}. */
    public void valid(URI uri, FileType.Members members, String stamp, String type) {
        if (stamp == null) {
            return;
        }
        String name = name(uri, members);
        Known k = seen.get(name + stamp);
        if (k != null && k.valid().add(type)) {
            keep(name, stamp, k);
        }
    }

    private static String name(URI uri, FileType.Members members) {
        return Storage.sha256((uri + "\0" + members).getBytes(StandardCharsets.UTF_8));
    }

    private void keep(String name, String stamp, Known k) {
        List<String> lines = new ArrayList<>(List.of(stamp, k.hash()));
        lines.addAll(k.valid().stream().sorted().toList());
        try {
            storage.writeAtomically(Storage.resolve(folder, name),
                    (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            // Without the record the next run hashes (and validates) the input again; nothing else depends on it.
        }
    }

    private String[] read(URI record) {
        try {
            if (!storage.exists(record)) {
                return null;
            }
            String[] lines = new String(storage.read(record), StandardCharsets.UTF_8).split("\n");
            return lines.length >= 2 ? lines : null;
        } catch (IOException e) {
            return null;
        }
    }
}
