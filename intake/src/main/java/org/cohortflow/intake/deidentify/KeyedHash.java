package org.cohortflow.intake.deidentify;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-SHA-256 with a project's secret: the one source of every value the de-identifier derives from an
 * original (new UIDs, date offsets), so that the same original gives the same result within a project and
 * nothing can be derived back without the secret.
 */
final class KeyedHash {
    private final SecretKeySpec key;

    KeyedHash(byte[] secret) {
        if (secret.length == 0) {
            throw new IllegalArgumentException("empty secret");
        }
        this.key = new SecretKeySpec(secret, "HmacSHA256");
    }

    byte[] hash(String purpose, String value) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            mac.update(purpose.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            return mac.doFinal(value.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /**
     * The new UID for an original UID: {@code 2.25.} and the first 128 bits of the keyed hash as an unsigned
     * decimal (PS3.5 B.2: a UUID-derived UID), at most 44 characters.
     */
    String uid(String original) {
        return "2.25." + new BigInteger(1, Arrays.copyOf(hash("uid", original), 16));
    }

    /** A number from 1 to {@code max}, fixed for one patient id. */
    int days(String patientId, int max) {
        return new BigInteger(1, hash("date-offset", patientId)).mod(BigInteger.valueOf(max)).intValue() + 1;
    }
}
