package org.vigie.pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.vigie.stix.BundleReader;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.ValueSource;
import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The pattern examples of the STIX 2.1 specification's patterning section (section 9), and the
 * ones it gives as invalid. Each valid one must parse, and print back to text that parses to the same tree.
 */
class SpecificationExamplesTest
{
    @ParameterizedTest
    @ValueSource(strings = {
            "[file:hashes.'SHA-256' = 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f']",
            "[email-message:from_ref.value MATCHES '.+\\\\@example\\\\.com$' AND email-message:body_multipart[*].body_raw_ref.name MATCHES '^Final Report.+\\\\.exe$']",
            "[file:hashes.'SHA-256' = 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f' AND file:mime_type = 'application/x-pdf']",
            "[file:hashes.'SHA-256' = 'bf07a7fbb825fc0aae7bf4a1177b2b31fcf8a3feeaf7092761e18c859ee52a9c' OR file:hashes.MD5 = 'cead3f77f6cda6ec00f57d76c9a6879f'] AND [file:hashes.'SHA-256' = 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f']",
            "[file:hashes.MD5 = '79054025255fb1a26e4bc422aef54eb4'] FOLLOWEDBY [windows-registry-key:key = 'HKEY_LOCAL_MACHINE\\\\foo\\\\bar']",
            "([file:hashes.MD5 = '79054025255fb1a26e4bc422aef54eb4'] FOLLOWEDBY [windows-registry-key:key = 'HKEY_LOCAL_MACHINE\\\\foo\\\\bar']) WITHIN 300 SECONDS",
            "[user-account:account_type = 'unix' AND user-account:user_id = '1007' AND user-account:account_login = 'Peter'] AND [user-account:account_type = 'unix' AND user-account:user_id = '1008' AND user-account:account_login = 'Paul'] AND [user-account:account_type = 'unix' AND user-account:user_id = '1009' AND user-account:account_login = 'Mary']",
            "[artifact:mime_type = 'application/vnd.tcpdump.pcap' AND artifact:payload_bin MATCHES '\\\\xd4\\\\xc3\\\\xb2\\\\xa1\\\\x02\\\\x00\\\\x04\\\\x00']",
            "[file:name = 'foo.dll' AND file:parent_directory_ref.path = 'C:\\\\Windows\\\\System32']",
            "[file:extensions.'windows-pebinary-ext'.sections[*].entropy > 7.0]",
            "[file:mime_type = 'image/bmp' AND file:magic_number_hex = h'ffd8']",
            "[network-traffic:dst_ref.type = 'ipv4-addr' AND network-traffic:dst_ref.value = '203.0.113.33/32']",
            "[network-traffic:dst_ref.type = 'domain-name' AND network-traffic:dst_ref.value = 'example.com'] REPEATS 5 TIMES WITHIN 1800 SECONDS",
            "[domain-name:value = 'www.5z8.info' AND domain-name:resolves_to_refs[*].value = '198.51.100.1/32']",
            "[url:value = 'http://example.com/foo' OR url:value = 'http://example.com/bar']",
            "[x509-certificate:issuer = 'CN=WEBMAIL' AND x509-certificate:serial_number = '4c:0b:1d:19:74:86:a7:66:b4:1a:bf:40:27:21:76:28']",
            "[windows-registry-key:key = 'HKEY_CURRENT_USER\\\\Software\\\\CryptoLocker\\\\Files' OR windows-registry-key:key = 'HKEY_CURRENT_USER\\\\Software\\\\Microsoft\\\\CurrentVersion\\\\Run\\\\CryptoLocker_0388']",
            "[(file:name = 'pdf.exe' OR file:size = 371712) AND file:created = t'2014-01-13T07:03:17Z']",
            "[email-message:sender_ref.value = 'jdoe@example.com' AND email-message:subject = 'Conference Info']",
            "[x-usb-device:usbdrive.serial_number = '575833314133343231313937']",
            "[process:command_line MATCHES '^.+>-add GlobalSign.cer -c -s -r localMachine Root$'] FOLLOWEDBY [process:command_line MATCHES '^.+>-add GlobalSign.cer -c -s -r localMachineTrustedPublisher$'] WITHIN 300 SECONDS",
            "[network-traffic:dst_ref.value ISSUBSET '2001:0db8:dead:beef:0000:0000:0000:0000/64']",
            "([file:name = 'foo.dll'] AND [windows-registry-key:key = 'HKEY_LOCAL_MACHINE\\\\foo\\\\bar']) OR [process:name = 'fooproc' OR process:name = 'procfoo']",
            "([ipv4-addr:value = '198.51.100.1/32' OR ipv4-addr:value = '203.0.113.33/32' OR ipv6-addr:value = '2001:0db8:dead:beef:dead:beef:dead:0001/128'] FOLLOWEDBY [domain-name:value = 'example.com']) WITHIN 600 SECONDS",
            "[file:name = 'foo.dll'] START t'2016-06-01T00:00:00Z' STOP t'2016-07-01T00:00:00Z'",
            "[network-traffic:src_ref.value = '203.0.113.10' AND network-traffic:dst_ref.value = '198.51.100.58' AND network-traffic:protocols[*] = 'tcp' AND network-traffic:dst_port = 22]",
            "[ipv4-addr:value ISSUBSET '198.51.100.0/24']",
            "[ipv4-addr:value NOT ISSUBSET '198.51.100.0/24']",
            "[file:size IN (1, 2, 3)]",
            "[network-traffic:dst_port NOT IN (443, 80)]",
            "[file:name LIKE 'foo%.dll']",
            "[directory:path LIKE 'C:\\\\\\\\Windows\\\\\\\\%\\\\\\\\foo']",
            "[file:name MATCHES '^Final Report.+\\\\.exe$']",
            "[network-traffic:extensions.'http-request-ext'.request_value = 'GET']",
            "[file:extensions.'ntfs-ext'.alternate_data_streams[0].name = 'second.stream']",
            "[artifact:payload_bin = b'dGhpcyBpcyBhIHRlc3Q=']",
            "[EXISTS windows-registry-key:values]",
            "[x509-certificate:validity_not_before < t'2016-01-01T00:00:00.000Z']",
            "[file:size > 500 AND file:size <= 1024.5] REPEATS 2 TIMES",
            "[process:name = 'x'] AND [process:name = 'y'] OR [process:name = 'z'] FOLLOWEDBY [process:name = 'w']",
    })
    void validExampleParsesAndRoundTrips(String pattern)
    {
        ObservationExpression parsed = PatternParser.parse(pattern);
        String printed = parsed.toPatternText();
        assertThat(PatternParser.parse(printed)).isEqualTo(parsed);
        assertThat(CompiledPattern.compile(parsed).expression()).isEqualTo(parsed);
    }

    /** Every indicator pattern of the OASIS example bundles copied into testdata parses and round-trips. */
    @Test
    void everyPatternOfTheOasisExamplesParses()
            throws IOException
    {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(Path.of("../testdata/stix-examples"))) {
            files = walk.filter(path -> path.toString().endsWith(".json")).sorted().toList();
        }
        int patterns = 0;
        for (Path file : files) {
            try (BundleReader reader = BundleReader.open(Files.newInputStream(file))) {
                while (reader.hasNext()) {
                    JsonNode object = reader.next().tree();
                    if (object.path("type").asString("").equals("indicator") && object.path("pattern_type").asString("stix").equals("stix")) {
                        validExampleParsesAndRoundTrips(object.get("pattern").stringValue());
                        patterns++;
                    }
                }
            }
        }
        assertThat(patterns).isGreaterThan(10);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            // No observation expression brackets.
            "file:name = 'foo.dll'",
            // A qualifier without its unit.
            "[file:name = 'foo.dll'] WITHIN 5",
            "[file:name = 'foo.dll'] REPEATS TIMES",
            // STOP before START.
            "[file:name = 'foo.dll'] START t'2016-07-01T00:00:00Z' STOP t'2016-06-01T00:00:00Z'",
            // Timestamps must be UTC with Z.
            "[file:created = t'2014-01-13T07:03:17+01:00']",
            // Property names with hyphens must be quoted.
            "[file:hashes.SHA-256 = 'abc']",
            // Ordering operators take no booleans.
            "[file:is_encrypted > true]",
            // LIKE, MATCHES, ISSUBSET take strings only.
            "[file:size LIKE 5]",
            // Unbalanced brackets and parentheses.
            "[file:name = 'a'",
            "([file:name = 'a']",
            // Only \\' and \\\\ may be escaped.
            "[file:name = 'a\\nb']",
            // Empty observation expression.
            "[]",
            // Observation operators need observation expressions on both sides.
            "[file:name = 'a'] AND",
            // Invalid hex and base64.
            "[file:magic_number_hex = h'ffd']",
            "[artifact:payload_bin = b'!!!!']",
            // WITHIN and REPEATS take positive numbers.
            "[file:name = 'a'] WITHIN 0 SECONDS",
            "[file:name = 'a'] REPEATS 0 TIMES",
            "[file:name = 'a'] REPEATS -1 TIMES",
            // ISSUBSET needs a CIDR block.
            "[ipv4-addr:value ISSUBSET 'not-a-network']",
            // Keywords are upper case.
            "[file:name = 'a'] followedby [file:name = 'b']",
            // A list index is * or a non-negative integer.
            "[file:names[-1] = 'a']",
            // Mixed types in a set.
            "[file:size IN (1, 'two')]",
            // Object type names are lower case.
            "[File:name = 'a']",
            "",
    })
    void invalidExampleIsRejected(String pattern)
    {
        assertThatThrownBy(() -> PatternParser.parse(pattern))
                .isInstanceOfSatisfying(VigieException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_PATTERN);
                    assertThat(e.getMessage()).containsPattern("at column \\d+");
                });
    }
}
