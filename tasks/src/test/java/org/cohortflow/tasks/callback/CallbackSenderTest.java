package org.cohortflow.tasks.callback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.cohortflow.tasks.testing.CallbackReceiver;
import org.junit.jupiter.api.Test;

class CallbackSenderTest {
    private final CallbackSender sender = new CallbackSender(Duration.ofSeconds(5));

    @Test
    void aCallbackIsPutWithItsSecretAndKeyAndA2xxIsAnAcknowledgement() throws Exception {
        try (CallbackReceiver receiver = new CallbackReceiver()) {
            CallbackSender.Outcome o = sender.send(receiver.url("/done/7"), "s3cret", "task-7", "{\"ok\":true}");
            assertTrue(o.acknowledged(), o.detail());
            List<CallbackReceiver.Delivery> got = receiver.deliveries();
            assertEquals(1, got.size());
            assertEquals("PUT", got.get(0).method());
            assertEquals("/done/7", got.get(0).path());
            assertEquals("s3cret", got.get(0).secret());
            assertEquals("task-7", got.get(0).key());
            assertEquals("{\"ok\":true}", got.get(0).body());
        }
    }

    @Test
    void anErrorStatusIsNotAnAcknowledgement() throws Exception {
        try (CallbackReceiver receiver = new CallbackReceiver()) {
            receiver.answer(503);
            CallbackSender.Outcome o = sender.send(receiver.url("/x"), "s", "k", "{}");
            assertFalse(o.acknowledged());
            assertEquals("HTTP 503", o.detail());
        }
    }

    @Test
    void anEndpointThatIsDownIsReportedNotThrown() throws Exception {
        CallbackReceiver receiver = new CallbackReceiver();
        String url = receiver.url("/x");
        receiver.close();
        CallbackSender.Outcome o = sender.send(url, "s", "k", "{}");
        assertFalse(o.acknowledged());
        assertTrue(o.detail().contains("Connect"), o.detail());
    }

    @Test
    void theWaitDoublesUpToItsCeiling() {
        Backoff b = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(5));
        assertEquals(Duration.ofSeconds(1), b.after(1));
        assertEquals(Duration.ofSeconds(2), b.after(2));
        assertEquals(Duration.ofSeconds(256), b.after(9));
        assertEquals(Duration.ofMinutes(5), b.after(10));
        assertEquals(Duration.ofMinutes(5), b.after(1000));
    }
}
