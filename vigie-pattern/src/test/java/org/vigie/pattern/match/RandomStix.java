package org.vigie.pattern.match;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Random patterns and observations over one small vocabulary, so that random indicators often
 * match random observations. Everything comes from the given seeded {@link Random}.
 */
final class RandomStix
{
    static final String[] ADDRESSES = {"198.51.100.1", "198.51.100.77", "198.51.101.4", "203.0.113.9", "10.0.0.1"};
    static final String[] NETWORKS = {"198.51.100.0/24", "198.51.0.0/16", "203.0.113.9/32", "0.0.0.0/0", "10.0.0.0/8", "198.51.100.64/26"};
    static final String[] DOMAINS = {"a.example", "evil.example.com", "mail.example.org", "b.test", "caf\u00e9.example"};
    static final String[] URLS = {"http://a.example/x.php", "https://evil.example.com/login", "http://b.test/index.html", "ftp://mail.example.org/"};
    static final String[] HASHES = {"d41d8cd98f00b204e9800998ecf8427e", "900150983cd24fb0d6963f7d28e17f72", "e2fc714c4727ee9395f324cd2e7f331f"};
    static final String[] NAMES = {"foo.dll", "bar.exe", "report.pdf", "it's.txt", "a\\b.bin"};

    private final Random random;

    RandomStix(Random random)
    {
        this.random = random;
    }

    /** A pattern: mostly one observation expression, sometimes stateful. */
    String pattern()
    {
        int kind = random.nextInt(100);
        if (kind < 80) {
            return observation();
        }
        if (kind < 84) {
            return observation() + " OR " + observation();
        }
        if (kind < 88) {
            return observation() + " AND " + observation();
        }
        if (kind < 92) {
            return "(" + observation() + " FOLLOWEDBY " + observation() + ") WITHIN " + (1 + random.nextInt(120)) + " SECONDS";
        }
        if (kind < 95) {
            return observation() + " FOLLOWEDBY " + observation();
        }
        if (kind < 98) {
            return observation() + " REPEATS " + (2 + random.nextInt(2)) + " TIMES";
        }
        return observation() + " START t'2024-03-01T10:00:00Z' STOP t'2024-03-01T10:00:" + (10 + random.nextInt(40)) + "Z'";
    }

    String observation()
    {
        return "[" + comparisons(random.nextInt(3)) + "]";
    }

    private String comparisons(int depth)
    {
        if (depth == 0 || random.nextInt(3) == 0) {
            return comparison();
        }
        String operator = random.nextBoolean() ? " AND " : " OR ";
        String text = comparisons(depth - 1) + operator + comparisons(depth - 1);
        return random.nextInt(3) == 0 ? "(" + text + ")" : text;
    }

    String comparison()
    {
        String not = random.nextInt(8) == 0 ? "NOT " : "";
        return switch (random.nextInt(15)) {
            case 0, 1 -> "ipv4-addr:value " + not + "= " + quote(pick(ADDRESSES));
            case 2 -> "ipv4-addr:value " + not + "ISSUBSET " + quote(pick(NETWORKS));
            case 3 -> "ipv4-addr:value " + not + "ISSUPERSET " + quote(pick(ADDRESSES));
            case 4 -> "domain-name:value " + not + "= " + quote(pick(DOMAINS));
            case 5 -> "domain-name:value " + not + "LIKE " + quote(like(pick(DOMAINS)));
            case 6 -> "url:value " + not + "MATCHES " + quote(regex(pick(URLS)));
            case 7 -> "url:value " + not + "LIKE " + quote(like(pick(URLS)));
            case 8 -> "file:hashes.MD5 " + not + "= " + quote(pick(HASHES));
            case 9 -> "file:name " + not + "IN (" + quote(pick(NAMES)) + ", " + quote(pick(NAMES)) + ")";
            case 10 -> "file:size " + not + pick(new String[] {"<", ">", "<=", ">=", "=", "!="}) + " " + random.nextInt(2000);
            case 11 -> "network-traffic:dst_ref.value " + not + "= " + quote(pick(ADDRESSES));
            case 12 -> "network-traffic:protocols[" + (random.nextBoolean() ? "*" : Integer.toString(random.nextInt(2))) + "] " + not + "= " + quote(random.nextBoolean() ? "tcp" : "udp");
            // Constants of another type than the values: only != and NOT hold.
            case 13 -> pick(new String[] {"file:size", "file:name", "file:hashes"}) + " " + not
                    + pick(new String[] {"= 7", "!= 7", "< 7", "= 'x'", "!= 'x'", "LIKE 'x%'", "IN (7, 8)", "IN ('x', 'y')"});
            default -> random.nextBoolean() ? "EXISTS file:size" : "network-traffic:dst_port " + not + "IN (" + (random.nextBoolean() ? "" : "80, 443") + ")";
        };
    }

    private String like(String value)
    {
        int cut = random.nextInt(value.length() + 1);
        return switch (random.nextInt(5)) {
            case 0 -> value.substring(0, cut) + "%";
            case 1 -> "%" + value.substring(cut);
            case 2 -> "%" + value.substring(Math.min(cut, value.length()), Math.min(value.length(), cut + 4)) + "%";
            case 3 -> value.isEmpty() ? "_" : value.substring(0, cut) + "_" + (cut + 1 <= value.length() ? value.substring(Math.min(value.length(), cut + 1)) : "");
            default -> value;
        };
    }

    private String regex(String value)
    {
        int cut = random.nextInt(value.length());
        String piece = value.substring(cut, Math.min(value.length(), cut + 1 + random.nextInt(6)));
        String escaped = piece.replaceAll("([.\\\\/?+*()\\[\\]{}|^$])", "\\\\$1");
        return switch (random.nextInt(4)) {
            case 0 -> "^" + escaped;
            case 1 -> escaped + "$";
            case 2 -> "[a-z]+" + escaped;
            default -> escaped;
        };
    }

    /** The SCOs of one random observation, as JSON; objects referenced by others are marked "referenced". */
    List<String> scos(String prefix)
    {
        List<String> scos = new ArrayList<>();
        int count = 1 + random.nextInt(3);
        for (int i = 0; i < count; i++) {
            switch (random.nextInt(6)) {
                case 0 -> scos.add("{\"type\":\"ipv4-addr\",\"value\":" + json(pick(ADDRESSES) + (random.nextInt(5) == 0 ? "/28" : "")) + "}");
                case 1 -> scos.add("{\"type\":\"domain-name\",\"value\":" + json(pick(DOMAINS)) + "}");
                case 2 -> scos.add("{\"type\":\"url\",\"value\":" + json(pick(URLS)) + "}");
                case 3 -> scos.add("{\"type\":\"file\",\"name\":" + json(pick(NAMES)) + ",\"hashes\":{\"MD5\":" + json(pick(HASHES)) + "}"
                        + (random.nextBoolean() ? ",\"size\":" + random.nextInt(2000) : "") + "}");
                case 4 -> {
                    String target = "ipv4-addr--" + java.util.UUID.nameUUIDFromBytes((prefix + i).getBytes(java.nio.charset.StandardCharsets.UTF_8));
                    scos.add("{\"type\":\"ipv4-addr\",\"id\":\"" + target + "\",\"value\":" + json(pick(ADDRESSES)) + ",\"referenced\":true}");
                    scos.add("{\"type\":\"network-traffic\",\"dst_ref\":\"" + target + "\",\"dst_port\":" + (random.nextBoolean() ? 80 : 22)
                            + ",\"protocols\":[\"ipv4\"," + json(random.nextBoolean() ? "tcp" : "udp") + "]}");
                }
                default -> scos.add("{\"type\":\"file\",\"name\":" + json(pick(NAMES)) + "}");
            }
        }
        return scos;
    }

    private String pick(String[] values)
    {
        return values[random.nextInt(values.length)];
    }

    static String quote(String value)
    {
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    static String json(String value)
    {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
