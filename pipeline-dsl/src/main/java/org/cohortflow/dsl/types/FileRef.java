package org.cohortflow.dsl.types;

import java.net.URI;

/**
 * The runtime value of a file-typed port: where the data is. Each file type has its own implementing
 * record so that the typed Java API can tell, at compile time, a CSV file from a NIfTI image.
 */
public interface FileRef {
    URI uri();
}
