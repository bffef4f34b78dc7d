package org.cohortflow.dsl.types;

import java.io.IOException;
import java.nio.file.Path;

/**
 * How values of an in-memory type are stored as files in a format other tools read: a volume as
 * NIfTI, a feature table as CSV. Executors use it for sinks and for passing objects between tasks;
 * a type without a codec can only be passed in memory (or Java-serialised).
 */
public interface ValueCodec {

    /** The file name ending of stored values, with the dot ({@code .nii.gz}). */
    String extension();

    /** Writes {@code value} to {@code file} (which ends with {@link #extension()}). */
    void write(Object value, Path file) throws IOException;

    /** Reads a value written by {@link #write}. */
    Object read(Path file) throws IOException;

    /**
     * The codec for copies that only cohortflow reads back (a job's output kept for its cache and read by no
     * other task or sink): the same value in a form cheaper to write, e.g. NIfTI without gzip. It must have an
     * extension of its own, so that a stored file tells which codec reads it. By default this codec.
     */
    default ValueCodec forCache() {
        return this;
    }

    /** The codec of {@code this} and {@link #forCache()} that wrote {@code file} (by its extension), if either did. */
    default java.util.Optional<ValueCodec> reading(String file) {
        if (file.endsWith(extension())) {
            return java.util.Optional.of(this);
        }
        ValueCodec cache = forCache();
        return cache != this && file.endsWith(cache.extension()) ? java.util.Optional.of(cache) : java.util.Optional.empty();
    }
}
