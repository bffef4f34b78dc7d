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
}
