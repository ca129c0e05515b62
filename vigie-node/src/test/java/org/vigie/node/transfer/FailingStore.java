package org.vigie.node.transfer;

import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import org.vigie.stix.StixObject;
import org.vigie.store.AddOutcome;
import org.vigie.store.ForwardingObjectStore;
import org.vigie.store.ObjectStore;

import java.util.List;

/** A fake store that delegates to a real one and fails every add after the first {@code successfulAdds}, like a full disk. */
final class FailingStore
        extends ForwardingObjectStore
{
    private int remainingAdds;

    FailingStore(ObjectStore delegate, int successfulAdds)
    {
        super(delegate);
        this.remainingAdds = successfulAdds;
    }

    @Override
    public synchronized List<AddOutcome> addObjects(String collectionId, List<StixObject> objects)
    {
        if (remainingAdds == 0) {
            throw new VigieException(ErrorCode.STORE_UNAVAILABLE, "disk full while adding to collection " + collectionId);
        }
        remainingAdds--;
        return delegate().addObjects(collectionId, objects);
    }
}
