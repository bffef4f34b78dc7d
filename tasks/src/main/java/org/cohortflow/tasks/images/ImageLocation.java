package org.cohortflow.tasks.images;

import java.net.URI;
import java.nio.file.Path;

/** Where a task's image is: a file under one of the allowed data roots, or a web address. */
public sealed interface ImageLocation {
    /** A local file, already checked to be inside an allowed root. */
    record LocalFile(Path path) implements ImageLocation {
    }

    /** An http(s) URL, fetched by the service on the viewer's behalf. */
    record Web(URI uri) implements ImageLocation {
    }

    /** The last path segment, used as the file name the viewer sees (NiiVue recognises formats by it). */
    default String fileName() {
        String path = this instanceof LocalFile f ? f.path().toString() : ((Web) this).uri().getPath();
        int slash = path.lastIndexOf('/');
        String name = slash < 0 ? path : path.substring(slash + 1);
        return name.isEmpty() ? "image" : name;
    }
}
