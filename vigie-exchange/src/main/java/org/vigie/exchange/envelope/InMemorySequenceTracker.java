package org.vigie.exchange.envelope;

import java.util.HashMap;
import java.util.Map;

final class InMemorySequenceTracker
        implements SequenceTracker
{
    private record Pair(String sender, String recipient) {}

    private final Map<Pair, Long> last = new HashMap<>();

    @Override
    public synchronized long lastAccepted(String senderIdentityId, String recipientIdentityId)
    {
        return last.getOrDefault(new Pair(senderIdentityId, recipientIdentityId), 0L);
    }

    @Override
    public synchronized boolean advance(String senderIdentityId, String recipientIdentityId, long sequence)
    {
        Pair pair = new Pair(senderIdentityId, recipientIdentityId);
        if (last.getOrDefault(pair, 0L) != sequence - 1) {
            return false;
        }
        last.put(pair, sequence);
        return true;
    }
}
