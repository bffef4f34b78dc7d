package org.cohortflow.imaging.index;

import java.net.URI;
import java.nio.file.Path;

/** Conversions between the URIs of index results and local paths. */
final class FileTrees {
    private FileTrees() {
    }

    static Path localPath(URI file) {
        if (!"file".equals(file.getScheme())) {
            throw new IllegalStateException(file + " is not a local file; read it through its FileTree");
        }
        return Path.of(file);
    }
}
