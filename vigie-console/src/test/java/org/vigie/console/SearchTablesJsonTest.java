package org.vigie.console;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** The entry columns SearchTables writes as JSON by hand read back, through the object mapper, as they were written. */
class SearchTablesJsonTest
{
    // Quotes, backslashes, control characters, non-ASCII letters, a surrogate pair: what an escaper can get wrong.
    private static final String CHARACTERS = "aZ09 \"\\/\b\f\n\r\t\u0000\u001f\u007féÉ中\uD83D\uDE00-_:,[]{}";

    @Test
    void markingPropertiesAndEdgesReadBackAsWritten()
    {
        Random random = new Random(20261123);
        for (int round = 0; round < 500; round++) {
            Map<String, String> properties = new TreeMap<>();
            int count = random.nextInt(4);
            for (int index = 0; index < count; index++) {
                properties.put(text(random), text(random));
            }
            JsonNode read = ConsoleJson.MAPPER.readTree(SearchTables.markingPropertiesJson(properties));
            Map<String, String> back = new TreeMap<>();
            read.propertyNames().forEach(name -> back.put(name, read.get(name).stringValue()));
            assertThat(back).isEqualTo(properties);

            List<IndexEntry.Edge> edges = new ArrayList<>();
            int edgeCount = random.nextInt(4);
            for (int index = 0; index < edgeCount; index++) {
                edges.add(new IndexEntry.Edge(text(random), text(random), text(random), text(random)));
            }
            assertThat(SearchTables.edges(SearchTables.edgesJson(edges))).isEqualTo(edges);
        }
    }

    private static String text(Random random)
    {
        StringBuilder text = new StringBuilder();
        int length = random.nextInt(6);
        for (int index = 0; index < length; index++) {
            int at = random.nextInt(CHARACTERS.length());
            // Keep a surrogate pair whole.
            if (Character.isHighSurrogate(CHARACTERS.charAt(at))) {
                text.append(CHARACTERS, at, at + 2);
            }
            else if (!Character.isLowSurrogate(CHARACTERS.charAt(at))) {
                text.append(CHARACTERS.charAt(at));
            }
        }
        return text.toString();
    }
}
