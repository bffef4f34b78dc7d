package org.cohortflow.dsl.io;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Data behind a URI scheme that is not a file system: an image archive ({@code dicomweb://}) whose series are
 * source values of a pipeline. Executors ask it whether a value exists, for a content hash (for the cache),
 * and to stage the value into a job's local folder when the job runs. Implementations are found with
 * {@link ServiceLoader} ({@code META-INF/services/org.cohortflow.dsl.io.RemoteData}), so that the module
 * that talks to archives contributes them without executors knowing it. Implementations must be thread-safe.
 *
 * <p>{@code settings} looks up run settings (the {@code --hadoop KEY=VALUE} pairs a run passes to every
 * executor), e.g. credentials; it returns null for keys that are not set.
 */
public interface RemoteData {

    /** The URI schemes this implementation serves (lower case), e.g. {@code dicomweb}. */
    Set<String> schemes();

    /** Whether {@code uri} names data that exists now. */
    boolean exists(URI uri, Function<String, String> settings) throws IOException;

    /** Whether {@code uri} is staged as a folder (a series) rather than a single file. */
    boolean isDirectory(URI uri, Function<String, String> settings) throws IOException;

    /**
     * A hash that changes whenever the data changes, ideally computed from the source's metadata without
     * fetching the data itself (an archive knows its instances' UIDs and attributes).
     */
    String contentHash(URI uri, Function<String, String> settings) throws IOException;

    /**
     * Copies the data of {@code uri} into {@code localDir} (created when absent; the caller owns it) and returns
     * the local file or folder. Nothing incomplete is returned: a failed or partial copy is an exception.
     */
    Path localise(URI uri, Path localDir, Function<String, String> settings) throws IOException;

    /** Every implementation on the class path by scheme (lower case); a later duplicate scheme is ignored. */
    static Map<String, RemoteData> byScheme(ClassLoader loader) {
        Map<String, RemoteData> out = new TreeMap<>();
        for (RemoteData r : ServiceLoader.load(RemoteData.class, loader)) {
            for (String s : r.schemes()) out.putIfAbsent(s.toLowerCase(java.util.Locale.ROOT), r);
        }
        return Map.copyOf(out);
    }
}
