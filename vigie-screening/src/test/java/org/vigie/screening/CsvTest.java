package org.vigie.screening;

import org.junit.jupiter.api.Test;
import org.vigie.error.VigieException;

import java.io.StringReader;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CsvTest
{
    @Test
    void readsQuotesEmbeddedCommasAndLineBreaks()
    {
        CsvReader reader = new CsvReader(new StringReader("a,\"b,c\",\"say \"\"hi\"\"\"\r\n\"two\nlines\",,x\n"), "test");
        assertThat(reader.next()).contains(List.of("a", "b,c", "say \"hi\""));
        assertThat(reader.recordLine()).isEqualTo(1);
        assertThat(reader.next()).contains(List.of("two\nlines", "", "x"));
        assertThat(reader.recordLine()).isEqualTo(2);
        assertThat(reader.next()).isEmpty();
    }

    @Test
    void keepsTextAfterAClosingQuoteAsOfacWritesIt()
    {
        CsvReader reader = new CsvReader(new StringReader("36,\"AEROCARIBBEAN AIRLINES\",-0- ,\"CUBA\"\n"), "test");
        assertThat(reader.next()).contains(List.of("36", "AEROCARIBBEAN AIRLINES", "-0- ", "CUBA"));
    }

    @Test
    void rejectsAnUnclosedQuoteNamingTheLine()
    {
        CsvReader reader = new CsvReader(new StringReader("ok\n\"never closed,\n"), "input.csv");
        reader.next();
        assertThatThrownBy(reader::next).isInstanceOf(VigieException.class).hasMessageContaining("input.csv").hasMessageContaining("line 2");
    }

    @Test
    void writerAndReaderRoundTripRandomFields()
    {
        Random random = new Random(42);
        String alphabet = "ab,\"\n\r xé;";
        List<List<String>> records = new ArrayList<>();
        for (int r = 0; r < 500; r++) {
            List<String> record = new ArrayList<>();
            int width = 1 + random.nextInt(5);
            for (int f = 0; f < width; f++) {
                StringBuilder field = new StringBuilder();
                int length = random.nextInt(8);
                for (int i = 0; i < length; i++) {
                    field.append(alphabet.charAt(random.nextInt(alphabet.length())));
                }
                record.add(field.toString());
            }
            // A record of one empty field is written as an empty line, which readers skip: keep it non-empty.
            if (record.size() == 1 && record.get(0).isEmpty()) {
                record.set(0, "x");
            }
            records.add(record);
        }
        StringWriter out = new StringWriter();
        CsvWriter writer = new CsvWriter(out);
        records.forEach(writer::write);
        assertThat(new CsvReader(new StringReader(out.toString()), "round trip").readAll()).isEqualTo(records);
    }
}
