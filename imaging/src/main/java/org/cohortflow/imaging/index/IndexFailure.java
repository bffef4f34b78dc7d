package org.cohortflow.imaging.index;

import java.io.Serializable;
import java.net.URI;
import org.cohortflow.imaging.ImagingException;

/** A file the indexer could not read, and why (the reason alone; the file is in its own field). */
public record IndexFailure(URI file, String error) implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The file as the failures CSV names it: a plain path for a local file, the URI otherwise. */
    public String location() {
        return ImagingException.displayName(file);
    }
}
