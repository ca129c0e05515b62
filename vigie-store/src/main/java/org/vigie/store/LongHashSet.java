package org.vigie.store;

/**
 * A set of longs in one array (open addressing, linear probing), for the object id hashes of a chunk being
 * written: thousands per chunk on the import's hot path, where a {@code HashSet<String>} of ids cost a tenth of
 * the writer's time.
 */
final class LongHashSet
{
    // Marks a free slot; the value itself is tracked apart.
    private static final long FREE = 0;

    private long[] slots = new long[1024];
    private int size;
    private boolean containsFree;

    /** Adds {@code value}; answers whether it was absent. */
    boolean add(long value)
    {
        if (value == FREE) {
            boolean added = !containsFree;
            containsFree = true;
            return added;
        }
        int slot = slotOf(value);
        if (slots[slot] == value) {
            return false;
        }
        slots[slot] = value;
        size++;
        // At most half full, so that probe sequences stay short.
        if (size * 2 > slots.length) {
            grow();
        }
        return true;
    }

    boolean contains(long value)
    {
        return value == FREE ? containsFree : slots[slotOf(value)] == value;
    }

    /** The slot holding {@code value}, else the free slot where it would go. */
    private int slotOf(long value)
    {
        int mask = slots.length - 1;
        int slot = spread(value) & mask;
        while (slots[slot] != FREE && slots[slot] != value) {
            slot = (slot + 1) & mask;
        }
        return slot;
    }

    int size()
    {
        return size + (containsFree ? 1 : 0);
    }

    private void grow()
    {
        long[] old = slots;
        slots = new long[old.length * 2];
        size = 0;
        for (long value : old) {
            if (value != FREE) {
                add(value);
            }
        }
    }

    private static int spread(long value)
    {
        // Fibonacci hashing: the high bits of the product depend on all bits of the value.
        return (int) ((value * 0x9E3779B97F4A7C15L) >>> 32);
    }

    @Override
    public String toString()
    {
        return "LongHashSet[size=" + size() + ", capacity=" + slots.length + "]";
    }
}
