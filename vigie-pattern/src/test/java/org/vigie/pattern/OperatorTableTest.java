package org.vigie.pattern;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vigie.pattern.Fixtures.matches;
import static org.vigie.pattern.Fixtures.observation;

/**
 * One table per operator: pattern, observed SCO, whether it matches by the specification's rules.
 * Columns are separated by '|'; the SCOs are JSON.
 */
class OperatorTableTest
{
    private static final String TIME = "2024-03-01T10:00:00.000Z";

    @ParameterizedTest(name = "{0} on {1} -> {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            [ipv4-addr:value = '198.51.100.1']                 | {"type":"ipv4-addr","value":"198.51.100.1"}      | true
            [ipv4-addr:value = '198.51.100.2']                 | {"type":"ipv4-addr","value":"198.51.100.1"}      | false
            [ipv4-addr:value NOT = '198.51.100.2']             | {"type":"ipv4-addr","value":"198.51.100.1"}      | true
            [ipv4-addr:value != '198.51.100.1']                | {"type":"ipv4-addr","value":"198.51.100.1"}      | false
            [ipv4-addr:value != '198.51.100.2']                | {"type":"ipv4-addr","value":"198.51.100.1"}      | true
            [domain-name:value = 'example.com']                | {"type":"ipv4-addr","value":"example.com"}       | false
            [file:name = 'caf\u00e9.txt']                      | {"type":"file","name":"caf\u00e9.txt"}           | true
            [file:name = 'Caf\u00e9.txt']                      | {"type":"file","name":"caf\u00e9.txt"}           | false
            [file:name = '\uD83D\uDE00']                         | {"type":"file","name":"\uD83D\uDE00"}            | true
            [file:name = 'it\\'s']                             | {"type":"file","name":"it's"}                    | true
            [file:name = 'a\\\\b']                             | {"type":"file","name":"a\\\\b"}                  | true
            [file:size = 25]                                   | {"type":"file","size":25}                        | true
            [file:size = 25.0]                                 | {"type":"file","size":25}                        | true
            [file:size = '25']                                 | {"type":"file","size":25}                        | false
            [file:size NOT = '25']                             | {"type":"file","size":25}                        | true
            [file:size != '25']                                | {"type":"file","size":25}                        | true
            [file:name = 25]                                   | {"type":"file","name":"25"}                      | false
            [file:is_encrypted = true]                         | {"type":"file","is_encrypted":true}              | true
            [file:is_encrypted = false]                        | {"type":"file","is_encrypted":true}              | false
            [file:missing = 'x']                               | {"type":"file","name":"x"}                       | false
            [file:missing NOT = 'x']                           | {"type":"file","name":"x"}                       | false
            [file:hashes.'SHA-256' = 'ab']                     | {"type":"file","hashes":{"SHA-256":"ab"}}        | true
            [file:hashes.MD5 = 'ab']                           | {"type":"file","hashes":{"SHA-256":"ab"}}        | false
            [file:hashes = 'ab']                               | {"type":"file","hashes":{"SHA-256":"ab"}}        | false
            [file:magic_number_hex = h'ffd8']                  | {"type":"file","magic_number_hex":"FFD8"}         | true
            [file:magic_number_hex = h'ffd9']                  | {"type":"file","magic_number_hex":"ffd8"}         | false
            [artifact:payload_bin = b'aGVsbG8=']               | {"type":"artifact","payload_bin":"aGVsbG8="}     | true
            [artifact:payload_bin = h'68656c6c6f']             | {"type":"artifact","payload_bin":"aGVsbG8="}     | true
            [artifact:payload_bin = b'aGVsbG9=']               | {"type":"artifact","payload_bin":"not base64!"}  | false
            [file:created = t'2014-01-13T07:03:17Z']           | {"type":"file","created":"2014-01-13T07:03:17.000Z"} | true
            [file:created = t'2014-01-13T07:03:17.000001Z']    | {"type":"file","created":"2014-01-13T07:03:17Z"} | false
            [file:created = t'2014-01-13T07:03:17.1Z']         | {"type":"file","created":"2014-01-13T07:03:17.100000Z"} | true
            [file:created = t'2014-01-13T07:03:17Z']           | {"type":"file","created":"not a time"}           | false
            """)
    void equality(String pattern, String sco, boolean expected)
    {
        assertThat(matches(pattern, observation(TIME, sco))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} on {1} -> {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            [file:size > 10]                                   | {"type":"file","size":11}                        | true
            [file:size > 10]                                   | {"type":"file","size":10}                        | false
            [file:size >= 10]                                  | {"type":"file","size":10}                        | true
            [file:size < 10.5]                                 | {"type":"file","size":10}                        | true
            [file:size <= -1]                                  | {"type":"file","size":-1}                        | true
            [file:size NOT > 10]                               | {"type":"file","size":5}                         | true
            [file:size > '10']                                 | {"type":"file","size":11}                        | false
            [file:name > 'a']                                  | {"type":"file","name":"b"}                       | true
            [file:name < 'B']                                  | {"type":"file","name":"a"}                       | false
            [file:name > '\uFFFF']                             | {"type":"file","name":"\uD83D\uDE00"}            | true
            [file:created < t'2014-01-13T07:03:17.5Z']         | {"type":"file","created":"2014-01-13T07:03:17.499999Z"} | true
            [file:created >= t'2014-01-13T07:03:17.5Z']        | {"type":"file","created":"2014-01-13T07:03:17.499999Z"} | false
            [artifact:payload_bin > h'00']                     | {"type":"artifact","payload_bin":"/w=="}         | true
            """)
    void ordering(String pattern, String sco, boolean expected)
    {
        assertThat(matches(pattern, observation(TIME, sco))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} on {1} -> {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            [network-traffic:dst_port IN (80, 443)]            | {"type":"network-traffic","dst_port":443}        | true
            [network-traffic:dst_port IN (80, 443)]            | {"type":"network-traffic","dst_port":22}         | false
            [network-traffic:dst_port NOT IN (80, 443)]        | {"type":"network-traffic","dst_port":22}         | true
            [network-traffic:dst_port IN ()]                   | {"type":"network-traffic","dst_port":22}         | false
            [network-traffic:dst_port NOT IN ()]               | {"type":"network-traffic","dst_port":22}         | true
            [network-traffic:dst_port IN ('443')]              | {"type":"network-traffic","dst_port":443}        | false
            [network-traffic:dst_port NOT IN ('443')]          | {"type":"network-traffic","dst_port":443}        | true
            [file:name IN ('a', '\u00e9')]                     | {"type":"file","name":"\u00e9"}                  | true
            """)
    void in(String pattern, String sco, boolean expected)
    {
        assertThat(matches(pattern, observation(TIME, sco))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} on {1} -> {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            [file:name LIKE 'foo%.dll']                        | {"type":"file","name":"foobar.dll"}              | true
            [file:name LIKE 'foo%.dll']                        | {"type":"file","name":"foo.dll"}                 | true
            [file:name LIKE 'foo%.dll']                        | {"type":"file","name":"foo.dllx"}                | false
            [file:name LIKE 'foo_.dll']                        | {"type":"file","name":"foo1.dll"}                | true
            [file:name LIKE 'foo_.dll']                        | {"type":"file","name":"foo.dll"}                 | false
            [file:name LIKE 'f_o']                             | {"type":"file","name":"f\uD83D\uDE00o"}          | true
            [file:name LIKE '%']                               | {"type":"file","name":""}                        | true
            [file:name LIKE 'a.c']                             | {"type":"file","name":"abc"}                     | false
            [file:name LIKE 'FOO%']                            | {"type":"file","name":"foo"}                     | false
            [file:name LIKE '%\\\\evil.exe']                   | {"type":"file","name":"C:\\\\evil.exe"}          | true
            [file:name LIKE '%mid%']                           | {"type":"file","name":"a\\nmid\\nb"}             | true
            [file:name NOT LIKE 'foo%']                        | {"type":"file","name":"bar"}                     | true
            [file:size LIKE '1%']                              | {"type":"file","size":10}                        | false
            """)
    void like(String pattern, String sco, boolean expected)
    {
        assertThat(matches(pattern, observation(TIME, sco))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} on {1} -> {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            [file:name MATCHES 'evil']                         | {"type":"file","name":"my-evil-file"}            | true
            [file:name MATCHES '^evil']                        | {"type":"file","name":"my-evil-file"}            | false
            [file:name MATCHES 'file$']                        | {"type":"file","name":"my-evil-file"}            | true
            [file:name MATCHES 'file$']                        | {"type":"file","name":"my-evil-file\\n"}         | true
            [file:name MATCHES 'file$']                        | {"type":"file","name":"my-evil-file\\r"}         | false
            [file:name MATCHES '^a.c$']                        | {"type":"file","name":"a\\u2028c"}               | true
            [file:name MATCHES '^a.c$']                        | {"type":"file","name":"a\\nc"}                   | false
            [file:name MATCHES '^[[:digit:]]+$']               | {"type":"file","name":"12345"}                   | true
            [file:name MATCHES '^[[:^digit:]]+$']              | {"type":"file","name":"12345"}                   | false
            [file:name MATCHES '^[a[]+$']                      | {"type":"file","name":"a[a"}                     | true
            [file:name MATCHES '^[a&&b]+$']                    | {"type":"file","name":"a&b"}                     | true
            [file:name MATCHES 'x{y']                          | {"type":"file","name":"x{y"}                     | true
            [file:name MATCHES '(?P<word>ab)(?P=word)']        | {"type":"file","name":"abab"}                    | true
            [file:name MATCHES '(?i)EVIL']                     | {"type":"file","name":"evil"}                    | true
            [file:name MATCHES 'a(?#comment)b']                | {"type":"file","name":"ab"}                      | true
            [file:name MATCHES '\\\\d{3}']                     | {"type":"file","name":"x123"}                    | true
            [file:name MATCHES '^(a+)+$']                      | {"type":"file","name":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab"} | false
            [artifact:payload_bin MATCHES '^\\\\xff\\\\xd8']   | {"type":"artifact","payload_bin":"/9j/"}         | true
            [file:size MATCHES '1']                            | {"type":"file","size":1}                         | false
            """)
    void matchesOperator(String pattern, String sco, boolean expected)
    {
        assertThat(matches(pattern, observation(TIME, sco))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} on {1} -> {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            [ipv4-addr:value ISSUBSET '198.51.100.0/24']       | {"type":"ipv4-addr","value":"198.51.100.0"}      | true
            [ipv4-addr:value ISSUBSET '198.51.100.0/24']       | {"type":"ipv4-addr","value":"198.51.100.255"}    | true
            [ipv4-addr:value ISSUBSET '198.51.100.0/24']       | {"type":"ipv4-addr","value":"198.51.101.0"}      | false
            [ipv4-addr:value ISSUBSET '198.51.100.0/24']       | {"type":"ipv4-addr","value":"198.51.100.0/23"}   | false
            [ipv4-addr:value ISSUBSET '198.51.100.0/24']       | {"type":"ipv4-addr","value":"198.51.100.128/25"} | true
            [ipv4-addr:value ISSUBSET '0.0.0.0/0']             | {"type":"ipv4-addr","value":"255.255.255.255"}   | true
            [ipv4-addr:value ISSUBSET '10.0.0.7/32']           | {"type":"ipv4-addr","value":"10.0.0.7"}          | true
            [ipv4-addr:value ISSUBSET '10.0.0.7/32']           | {"type":"ipv4-addr","value":"10.0.0.8"}          | false
            [ipv4-addr:value ISSUBSET '10.1.2.3/8']            | {"type":"ipv4-addr","value":"10.200.0.1"}        | true
            [ipv4-addr:value NOT ISSUBSET '198.51.100.0/24']   | {"type":"ipv4-addr","value":"203.0.113.1"}       | true
            [ipv4-addr:value ISSUBSET '198.51.100.0/24']       | {"type":"ipv4-addr","value":"not an address"}    | false
            [ipv4-addr:value ISSUPERSET '198.51.100.7']        | {"type":"ipv4-addr","value":"198.51.100.0/24"}   | true
            [ipv4-addr:value ISSUPERSET '198.51.0.0/16']       | {"type":"ipv4-addr","value":"198.51.100.0/24"}   | false
            [ipv6-addr:value ISSUBSET '2001:db8::/32']         | {"type":"ipv6-addr","value":"2001:0db8:dead:beef::1"} | true
            [ipv6-addr:value ISSUBSET '2001:db8::/32']         | {"type":"ipv6-addr","value":"2001:db9::1"}       | false
            [ipv6-addr:value ISSUBSET '::/0']                  | {"type":"ipv6-addr","value":"ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"} | true
            [ipv6-addr:value ISSUBSET '::ffff:0:0/96']         | {"type":"ipv6-addr","value":"::ffff:192.0.2.1"}  | true
            [ipv6-addr:value ISSUBSET '2001:db8::/127']        | {"type":"ipv6-addr","value":"2001:db8::1"}       | true
            [ipv6-addr:value ISSUBSET '2001:db8::/128']        | {"type":"ipv6-addr","value":"2001:db8::1"}       | false
            [ipv6-addr:value ISSUBSET '2001:db8::/32']         | {"type":"ipv6-addr","value":"192.0.2.1"}         | false
            """)
    void subsetAndSuperset(String pattern, String sco, boolean expected)
    {
        assertThat(matches(pattern, observation(TIME, sco))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} on {1} -> {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            [EXISTS file:name]                                 | {"type":"file","name":"a"}                       | true
            [EXISTS file:size]                                 | {"type":"file","name":"a"}                       | false
            [EXISTS file:hashes]                               | {"type":"file","hashes":{"MD5":"x"}}             | true
            [EXISTS file:names[0]]                             | {"type":"file","names":[]}                       | false
            [EXISTS file:names]                                | {"type":"file","names":[]}                       | true
            [network-traffic:protocols[*] = 'tcp']             | {"type":"network-traffic","protocols":["ipv4","tcp"]} | true
            [network-traffic:protocols[1] = 'tcp']             | {"type":"network-traffic","protocols":["ipv4","tcp"]} | true
            [network-traffic:protocols[0] = 'tcp']             | {"type":"network-traffic","protocols":["ipv4","tcp"]} | false
            [network-traffic:protocols[5] = 'tcp']             | {"type":"network-traffic","protocols":["ipv4","tcp"]} | false
            [network-traffic:protocols[*] NOT = 'tcp']         | {"type":"network-traffic","protocols":["ipv4","tcp"]} | true
            [network-traffic:protocols = 'tcp']                | {"type":"network-traffic","protocols":["tcp"]}   | false
            [file:extensions.'windows-pebinary-ext'.sections[*].entropy > 7.0] | {"type":"file","extensions":{"windows-pebinary-ext":{"sections":[{"entropy":1.5},{"entropy":7.25}]}}} | true
            [file:extensions.'windows-pebinary-ext'.sections[0].entropy > 7.0] | {"type":"file","extensions":{"windows-pebinary-ext":{"sections":[{"entropy":1.5},{"entropy":7.25}]}}} | false
            [x-custom:'a.b' = 1]                               | {"type":"x-custom","a.b":1}                      | true
            [x-custom:a.b = 1]                                 | {"type":"x-custom","a.b":1}                      | false
            [x-custom:'a[0]' = 1]                              | {"type":"x-custom","a[0]":1,"a":[2]}             | true
            [x-custom:a[0] = 1]                                | {"type":"x-custom","a[0]":1,"a":[2]}             | false
            """)
    void existsIndicesAndKeys(String pattern, String sco, boolean expected)
    {
        assertThat(matches(pattern, observation(TIME, sco))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            [file:name = 'a' AND file:size = 1]                | {"type":"file","name":"a","size":1}               | true
            [file:name = 'a' AND file:size = 2]                | {"type":"file","name":"a","size":1}               | false
            [file:name = 'b' OR file:size = 1]                 | {"type":"file","name":"a","size":1}               | true
            [file:name = 'b' OR file:size = 1 AND file:name = 'c'] | {"type":"file","name":"a","size":1}           | false
            [(file:name = 'b' OR file:size = 1) AND file:name = 'a'] | {"type":"file","name":"a","size":1}         | true
            [file:name = 'a' AND ipv4-addr:value = '10.0.0.1'] | {"type":"file","name":"a"}                        | false
            [file:name = 'a' OR ipv4-addr:value = '10.0.0.1']  | {"type":"file","name":"a"}                        | true
            """)
    void booleanOperators(String pattern, String sco, boolean expected)
    {
        assertThat(matches(pattern, observation(TIME, sco))).isEqualTo(expected);
    }
}
