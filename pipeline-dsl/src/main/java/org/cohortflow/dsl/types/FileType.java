package org.cohortflow.dsl.types;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * A type of data stored at a URL: a file, or a folder such as a DICOM series. It knows its
 * extension(s), how to check that content really is of this type, and how to hash the content for the
 * cache.
 *
 * @param extensions accepted name endings, with the dot, most specific first ({@code .nii.gz}); empty
 *                   accepts any name
 * @param directory  true when the data is a folder
 * @param validator  checks content; throws {@link InvalidFileException} saying what is wrong
 * @param factory    wraps a URI as this type's runtime value
 * @param members    for a folder type whose values may name part of the folder with a query (a DICOM
 *                   series' {@code ?series=UID}): which files belong to that part; {@link Members#ALL} otherwise
 */
public record FileType(String name, String description, Set<String> memberOf, Class<? extends FileRef> javaType,
                       List<String> extensions, boolean directory, Validator validator,
                       Function<URI, ? extends FileRef> factory, Members members) implements DataType {

    public FileType {
        memberOf = Set.copyOf(memberOf);
        extensions = List.copyOf(extensions);
        java.util.Objects.requireNonNull(members, "members");
    }

    /** A type whose values are whole files or folders. */
    public FileType(String name, String description, Set<String> memberOf, Class<? extends FileRef> javaType,
                    List<String> extensions, boolean directory, Validator validator,
                    Function<URI, ? extends FileRef> factory) {
        this(name, description, memberOf, javaType, extensions, directory, validator, factory, Members.ALL);
    }

    /** This type, with values whose query selects the files of a folder that {@code members} accepts. */
    public FileType withMembers(Members members) {
        return new FileType(name, description, memberOf, javaType, extensions, directory, validator, factory, members);
    }

    /**
     * Which files of a folder a value with a query stands for. Executors use it to stage and hash only
     * those files, so that a series in a folder of many series costs its own files, not the folder's.
     * It must be cheap: it is asked once per file, and should read no more of a file than it needs.
     */
    @FunctionalInterface
    public interface Members {
        /**
         * Whether {@code file}, open for reading by position as {@code content}, belongs to the part of its
         * folder that {@code query} (the value's URI query, e.g. {@code series=1.2.3}) names.
         */
        boolean belongs(String query, URI file, SeekableByteChannel content) throws IOException;

        /** Every file belongs: the value is the whole folder, whatever its query. */
        Members ALL = (query, file, content) -> true;
    }

    /** Checks that a local file or folder holds data of this type. */
    @FunctionalInterface
    public interface Validator {
        void validate(Path path) throws InvalidFileException;

        Validator ANY = path -> { };
    }

    /** True when {@code fileName} ends with one of this type's extensions (or the type takes any name). */
    public boolean matchesName(String fileName) {
        return extensions.isEmpty() || extensions.stream().anyMatch(fileName::endsWith);
    }

    /** The extension of {@code fileName} that this type recognises, or its first extension. */
    public String extensionOf(String fileName) {
        return extensions.stream().filter(fileName::endsWith).findFirst()
                .orElse(extensions.isEmpty() ? "" : extensions.get(0));
    }

    /** Checks that {@code path} exists, has a fitting name and valid content. */
    public void validate(Path path) throws InvalidFileException {
        if (directory ? !Files.isDirectory(path) : !Files.isRegularFile(path)) {
            throw new InvalidFileException(path, "is not " + (directory ? "a folder" : "a regular file")
                    + " (expected " + name + ")");
        }
        if (!matchesName(path.getFileName().toString())) {
            throw new InvalidFileException(path, "name does not end with " + String.join(" or ", extensions)
                    + " (expected " + name + ")");
        }
        validator.validate(path);
    }

    /**
     * SHA-256 of the content: of the bytes for a file; for a folder, of every file's relative path and
     * bytes in sorted order, so that renaming or changing any file changes the hash.
     */
    public static String contentHash(Path path) throws IOException {
        MessageDigest md = sha256();
        if (Files.isDirectory(path)) {
            List<Path> files;
            try (Stream<Path> s = Files.walk(path)) {
                files = s.filter(Files::isRegularFile).sorted().toList();
            }
            for (Path f : files) {
                md.update(path.relativize(f).toString().replace('\\', '/').getBytes(java.nio.charset.StandardCharsets.UTF_8));
                md.update((byte) 0);
                digest(f, md);
            }
        } else {
            digest(path, md);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static void digest(Path f, MessageDigest md) throws IOException {
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(f)) {
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM lacks SHA-256", e);
        }
    }
}
