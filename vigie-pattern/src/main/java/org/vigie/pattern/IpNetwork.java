package org.vigie.pattern;

/**
 * An IPv4 or IPv6 address block (an address is a block of one), for ISSUBSET and ISSUPERSET.
 * Parsed by hand: {@code InetAddress} could resolve a host name, which a pattern must never cause.
 * Host bits below the prefix are cleared, so {@code 10.0.0.1/8} is the block {@code 10.0.0.0/8}.
 */
public record IpNetwork(boolean version6, long high, long low, int prefixLength)
{
    /** Parses {@code address} or {@code address/prefix}; null when the text is neither an IPv4 nor an IPv6 block. */
    public static IpNetwork parse(String text)
    {
        if (text == null || text.isEmpty() || text.length() > 64) {
            return null;
        }
        int slash = text.indexOf('/');
        String address = slash < 0 ? text : text.substring(0, slash);
        boolean version6 = address.indexOf(':') >= 0;
        int maximum = version6 ? 128 : 32;
        int prefix = maximum;
        if (slash >= 0) {
            String digits = text.substring(slash + 1);
            if (digits.isEmpty() || digits.length() > 3) {
                return null;
            }
            for (int i = 0; i < digits.length(); i++) {
                if (digits.charAt(i) < '0' || digits.charAt(i) > '9') {
                    return null;
                }
            }
            prefix = Integer.parseInt(digits);
            if (prefix > maximum) {
                return null;
            }
        }
        if (version6) {
            long[] words = parse6(address);
            return words == null ? null : masked(true, words[0], words[1], prefix);
        }
        long value = parse4(address);
        return value < 0 ? null : masked(false, 0, value, prefix);
    }

    /** The block of {@code prefixLength} bits that contains this one (prefixLength at most this one's). */
    public IpNetwork widenedTo(int prefixLength)
    {
        return masked(version6, high, low, prefixLength);
    }

    /** Whether every address of {@code other} is in this block. */
    public boolean contains(IpNetwork other)
    {
        if (version6 != other.version6 || other.prefixLength < prefixLength) {
            return false;
        }
        IpNetwork narrowed = masked(version6, other.high, other.low, prefixLength);
        return narrowed.high == high && narrowed.low == low;
    }

    /** Bit {@code index} (0 is the most significant) of the address. */
    public int bit(int index)
    {
        int width = version6 ? 128 : 32;
        int fromLow = width - 1 - index;
        return fromLow >= 64 ? (int) (high >>> (fromLow - 64)) & 1 : (int) (low >>> fromLow) & 1;
    }

    private static IpNetwork masked(boolean version6, long high, long low, int prefix)
    {
        int width = version6 ? 128 : 32;
        int hostBits = width - prefix;
        if (hostBits >= 64) {
            int highHostBits = hostBits - 64;
            high = highHostBits >= 64 ? 0 : high & (-1L << highHostBits);
            low = 0;
        }
        else if (hostBits > 0) {
            low &= -1L << hostBits;
        }
        return new IpNetwork(version6, high, low, prefix);
    }

    // By hand rather than split(): this runs for every observed address an ISSUBSET index looks up.
    private static long parse4(String text)
    {
        long value = 0;
        int octets = 0;
        int digits = 0;
        int octet = 0;
        for (int i = 0; i <= text.length(); i++) {
            char character = i < text.length() ? text.charAt(i) : '.';
            if (character == '.') {
                if (digits == 0 || octet > 255 || ++octets > 4) {
                    return -1;
                }
                value = (value << 8) | octet;
                digits = 0;
                octet = 0;
            }
            else if (character >= '0' && character <= '9' && digits < 3) {
                octet = octet * 10 + (character - '0');
                digits++;
            }
            else {
                return -1;
            }
        }
        return octets == 4 ? value : -1;
    }

    private static long[] parse6(String text)
    {
        int compression = text.indexOf("::");
        if (compression >= 0 && text.indexOf("::", compression + 1) >= 0) {
            return null;
        }
        String head = compression < 0 ? text : text.substring(0, compression);
        String tail = compression < 0 ? "" : text.substring(compression + 2);
        int[] headWords = words(head);
        int[] tailWords = words(tail);
        if (headWords == null || tailWords == null) {
            return null;
        }
        int count = headWords.length + tailWords.length;
        if (compression < 0 ? count != 8 : count > 7) {
            return null;
        }
        int[] all = new int[8];
        System.arraycopy(headWords, 0, all, 0, headWords.length);
        System.arraycopy(tailWords, 0, all, 8 - tailWords.length, tailWords.length);
        long high = 0;
        long low = 0;
        for (int i = 0; i < 4; i++) {
            high = (high << 16) | all[i];
            low = (low << 16) | all[i + 4];
        }
        return new long[] {high, low};
    }

    // Groups of hexadecimal words, the last of which may be an embedded IPv4 address (two words).
    private static int[] words(String text)
    {
        if (text.isEmpty()) {
            return new int[0];
        }
        String[] parts = text.split(":", -1);
        int[] result = new int[parts.length + 1];
        int count = 0;
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            if (i == parts.length - 1 && part.indexOf('.') >= 0) {
                long ipv4 = parse4(part);
                if (ipv4 < 0) {
                    return null;
                }
                result[count++] = (int) (ipv4 >>> 16);
                result[count++] = (int) (ipv4 & 0xffff);
                continue;
            }
            if (part.isEmpty() || part.length() > 4) {
                return null;
            }
            int word = 0;
            for (int j = 0; j < part.length(); j++) {
                int digit = Character.digit(part.charAt(j), 16);
                if (digit < 0) {
                    return null;
                }
                word = (word << 4) | digit;
            }
            result[count++] = word;
        }
        return java.util.Arrays.copyOf(result, count);
    }
}
