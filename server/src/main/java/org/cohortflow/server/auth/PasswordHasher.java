package org.cohortflow.server.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/**
 * Password hashing with bcrypt (BouncyCastle's OpenBSD-compatible implementation) and the helpers for
 * random secrets. API tokens are long random values, so a fast SHA-256 is enough to store them and lets
 * a request find its token by hash in one indexed read.
 */
public final class PasswordHasher {
    /** bcrypt's cost; 10 takes about 50-100 ms per check, the usual trade-off for interactive logins. */
    public static final int DEFAULT_COST = 10;
    private final SecureRandom random = new SecureRandom();
    private final int cost;

    public PasswordHasher() {
        this(DEFAULT_COST);
    }

    /** A hasher with another bcrypt cost (4..31). */
    public PasswordHasher(int cost) {
        if (cost < 4 || cost > 31) {
            throw new IllegalArgumentException("bcrypt cost must be 4..31: " + cost);
        }
        this.cost = cost;
    }

    /** Hashes a password with a fresh salt ({@code $2y$...}). */
    public String hash(String password) {
        byte[] salt = new byte[16];
        random.nextBytes(salt);
        return OpenBSDBCrypt.generate("2y", password.toCharArray(), salt, cost);
    }

    /** True when {@code password} matches {@code hash}; false for a malformed hash. */
    public boolean matches(String password, String hash) {
        if (password == null || hash == null) {
            return false;
        }
        try {
            return OpenBSDBCrypt.checkPassword(hash, password.toCharArray());
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** A random URL-safe secret with {@code bytes} bytes of entropy. */
    public String randomSecret(int bytes) {
        byte[] b = new byte[bytes];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** SHA-256 of a high-entropy secret (tokens, callback secrets), hex. */
    public static String sha256(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }

    /** Compares two secrets in constant time. */
    public static boolean sameSecret(String a, String b) {
        if (a == null || b == null) {
            return false;
        }
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
