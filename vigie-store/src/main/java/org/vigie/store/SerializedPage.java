package org.vigie.store;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * A page of {@link ObjectStore#findSerializedObjects}: the same objects, paging and dates added as the
 * {@link ObjectPage} of {@link ObjectStore#findObjects}, with each object's stored JSON text as UTF-8 bytes
 * only. A server writes these bytes as they are, without decoding them into strings and encoding them back,
 * which was a large part of the CPU a page of objects cost. Immutable: the bytes are copied out, never
 * handed out.
 */
public final class SerializedPage
{
    private final List<byte[]> objects;
    private final boolean more;
    private final Optional<String> next;
    private final Optional<Instant> firstDateAdded;
    private final Optional<Instant> lastDateAdded;

    /** {@code objects} are owned by the page from now on (stores pass arrays nothing else holds). */
    SerializedPage(List<byte[]> objects, boolean more, Optional<String> next, Optional<Instant> firstDateAdded, Optional<Instant> lastDateAdded)
    {
        this.objects = List.copyOf(requireNonNull(objects, "objects is null"));
        this.next = requireNonNull(next, "next is null");
        this.firstDateAdded = requireNonNull(firstDateAdded, "firstDateAdded is null");
        this.lastDateAdded = requireNonNull(lastDateAdded, "lastDateAdded is null");
        if (more != next.isPresent()) {
            throw new IllegalArgumentException("next must be present exactly when more is true");
        }
        if (this.objects.isEmpty() != firstDateAdded.isEmpty() || firstDateAdded.isEmpty() != lastDateAdded.isEmpty()) {
            throw new IllegalArgumentException("the first and last dates added must be present exactly when the page has objects");
        }
        this.more = more;
    }

    /** The page of {@code page}'s objects, their JSON encoded as UTF-8. */
    public static SerializedPage of(ObjectPage page)
    {
        requireNonNull(page, "page is null");
        List<byte[]> objects = new ArrayList<>(page.objects().size());
        for (StoredObject stored : page.objects()) {
            objects.add(stored.object().json().getBytes(StandardCharsets.UTF_8));
        }
        return new SerializedPage(objects, page.more(), page.next(), page.firstDateAdded(), page.lastDateAdded());
    }

    public int size()
    {
        return objects.size();
    }

    /** Length in bytes of the JSON of the object at {@code index} (0 to size - 1). */
    public int jsonLength(int index)
    {
        return objects.get(index).length;
    }

    /** Copies the JSON of the object at {@code index} into {@code target} from {@code position}; returns the position after it. */
    public int copyJson(int index, byte[] target, int position)
    {
        byte[] json = objects.get(index);
        System.arraycopy(json, 0, target, position, json.length);
        return position + json.length;
    }

    /** The JSON text of the object at {@code index}, decoded (for tests and callers that need text). */
    public String json(int index)
    {
        return new String(objects.get(index), StandardCharsets.UTF_8);
    }

    public boolean more()
    {
        return more;
    }

    public Optional<String> next()
    {
        return next;
    }

    public Optional<Instant> firstDateAdded()
    {
        return firstDateAdded;
    }

    public Optional<Instant> lastDateAdded()
    {
        return lastDateAdded;
    }
}
