package org.cohortflow.executors.cache;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.cohortflow.dsl.types.FileType;
import org.cohortflow.executors.storage.RunLayout;
import org.cohortflow.executors.storage.Storage;

/**
 * Content hashes of file and folder inputs (sources, file literals), taken once per content: each hash is kept
 * with the input's stamp (path, size and modification time of each file, {@link Storage#stamp}) in the run
 * folder ({@code input-hashes/}), and used again as long as the stamp is the same, in this run (a series read
 * by two jobs of a sample) and in every resumed one. So a resumed run over a large DICOM cohort lists the files'
 * metadata instead of reading every byte again. With {@code rehash} every input is read and hashed again (the
 * strict mode, for files changed without a change of size or time); the kept hashes are renewed.
 */
public final class InputHashes {
    private final Storage storage;
    private final URI folder;
    private final boolean rehash;
    /** Hashes taken in this JVM, by input and stamp. */
    private final Map<String, String> seen = new ConcurrentHashMap<>();

    public InputHashes(Storage storage, URI runDir, boolean rehash) {
        this.storage = storage;
        this.folder = Storage.resolve(runDir, RunLayout.INPUT_HASHES);
        this.rehash = rehash;
    }

    /** The content hash of {@code uri} as {@link Storage#contentHash(URI, FileType.Members)} gives it. */
    public String hash(URI uri, FileType.Members members) throws IOException {
        String stamp = storage.stamp(uri);
        if (stamp == null) {
            return storage.contentHash(uri, members);
        }
        String name = Storage.sha256((uri + "\0" + members).getBytes(StandardCharsets.UTF_8));
        URI record = Storage.resolve(folder, name);
        if (!rehash) {
            String known = seen.get(name + stamp);
            if (known != null) {
                return known;
            }
            String[] kept = read(record);
            if (kept != null && kept[0].equals(stamp)) {
                seen.put(name + stamp, kept[1]);
                return kept[1];
            }
        }
        String hash = storage.contentHash(uri, members);
        // Only a stamp that held while the bytes were read is kept: a file written meanwhile is hashed again next time.
        if (stamp.equals(storage.stamp(uri))) {
            seen.put(name + stamp, hash);
            try {
                storage.writeAtomically(record, (stamp + "\n" + hash + "\n").getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                // Without the record the next run hashes the input again; nothing else depends on it.
            }
        }
        return hash;
    }

    private String[] read(URI record) {
        try {
            if (!storage.exists(record)) {
                return null;
            }
            String[] lines = new String(storage.read(record), StandardCharsets.UTF_8).split("\n");
            return lines.length == 2 ? lines : null;
        } catch (IOException e) {
            return null;
        }
    }
}
