package org.cohortflow.intake.deidentify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class KeyedHashTest {
    private final KeyedHash a = new KeyedHash("project-a-secret-0123".getBytes(StandardCharsets.UTF_8));
    private final KeyedHash b = new KeyedHash("project-b-secret-0123".getBytes(StandardCharsets.UTF_8));

    @Test
    void theSameUidGivesTheSameValid225UidWithinAProjectAndAnotherInAnother() {
        String uid = "1.2.826.0.1.3680043.8.498.123";
        assertEquals(a.uid(uid), a.uid(uid));
        assertNotEquals(a.uid(uid), b.uid(uid));
        assertNotEquals(a.uid(uid), a.uid(uid + "4"));
        assertTrue(a.uid(uid).matches("2\\.25\\.[1-9][0-9]*") && a.uid(uid).length() <= 64, a.uid(uid));
    }

    @Test
    void dateOffsetsStayInRangeAndAreFixedPerPatient() {
        for (int i = 0; i < 200; i++) {
            int d = a.days("patient-" + i, 10);
            assertTrue(d >= 1 && d <= 10, "offset " + d);
            assertEquals(d, a.days("patient-" + i, 10));
        }
        assertEquals("20200101", Deidentifier.shift("20200111", 10));
        assertEquals("20191231123000.5+0100", Deidentifier.shift("20200110123000.5+0100", 10));
        assertEquals("", Deidentifier.shift("2020", 3));
    }
}
