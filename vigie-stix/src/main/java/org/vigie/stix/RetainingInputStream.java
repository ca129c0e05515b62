package org.vigie.stix;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

import static java.util.Objects.requireNonNull;

/**
 * Passes bytes through to a reader (the JSON parser) and keeps a copy of those at or after a movable
 * offset, so that the text of a value the parser has just read can be sliced out of the original
 * bytes. Memory is bounded by the largest retained span plus the parser's read-ahead, not by the input.
 */
final class RetainingInputStream
        extends InputStream
{
    private static final int INITIAL = 1 << 16;
    private static final int LARGE = 1 << 22;

    private final InputStream in;
    private byte[] buffer = new byte[INITIAL];
    // Absolute input offset of buffer[0].
    private long bufferStart;
    private int length;
    // Bytes before this absolute offset are no longer needed.
    private long retainFrom;

    RetainingInputStream(InputStream in)
    {
        this.in = requireNonNull(in, "in is null");
    }

    /** Drops the bytes before {@code offset}, which the caller will never slice again. */
    void retainFrom(long offset)
    {
        if (offset > retainFrom) {
            retainFrom = offset;
        }
    }

    /** The buffer holding the retained bytes; valid until the next read. */
    byte[] buffer()
    {
        return buffer;
    }

    /** The index in {@link #buffer()} of the absolute input offset, which must still be retained and read. */
    int indexOf(long offset)
    {
        if (offset < bufferStart || offset > bufferStart + length) {
            throw new IllegalStateException("offset " + offset + " is not retained (retained " + bufferStart + " to " + (bufferStart + length) + ")");
        }
        return (int) (offset - bufferStart);
    }

    @Override
    public int read()
            throws IOException
    {
        int value = in.read();
        if (value >= 0) {
            makeRoom(1);
            buffer[length++] = (byte) value;
        }
        return value;
    }

    @Override
    public int read(byte[] target, int offset, int count)
            throws IOException
    {
        int read = in.read(target, offset, count);
        if (read > 0) {
            makeRoom(read);
            System.arraycopy(target, offset, buffer, length, read);
            length += read;
        }
        return read;
    }

    @Override
    public void close()
            throws IOException
    {
        in.close();
    }

    private void makeRoom(int count)
    {
        int drop = (int) Math.min(Math.max(retainFrom - bufferStart, 0), length);
        if (drop > 0) {
            System.arraycopy(buffer, drop, buffer, 0, length - drop);
            length -= drop;
            bufferStart += drop;
        }
        if (length + count > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + count));
        }
        else if (buffer.length > LARGE && length + count < buffer.length / 4) {
            // Give back the memory of an exceptionally large object once it has been read.
            buffer = Arrays.copyOf(buffer, Math.max(INITIAL, Integer.highestOneBit(length + count) * 2));
        }
    }
}
