package org.vigie.node.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigie.screening.Designation;
import org.vigie.screening.SanctionsList;
import org.vigie.screening.SanctionsLists;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class ScreeningCliTest
{
    @Test
    void screenBatchAndListUpdate(@TempDir Path directory)
            throws IOException
    {
        Path dataDirectory = directory.resolve("data");
        SanctionsList un = SanctionsLists.loadShippedUn();
        Designation designation = un.designations().get(new Random().nextInt(un.designations().size()));

        CliRunner.Result screen = CliRunner.run("screen", "--data-dir", dataDirectory.toString(), designation.primaryName());
        assertThat(screen.exitCode()).as(screen.toString()).isZero();
        assertThat(screen.out().lines()).anyMatch(line -> line.contains("\tUN\t" + designation.id() + "\t"));

        Path input = directory.resolve("people.csv");
        Files.writeString(input, "full_name\n\"" + designation.primaryName().replace("\"", "\"\"") + "\"\n");
        Path output = directory.resolve("screened.csv");
        CliRunner.Result batch = CliRunner.run("screen", "batch", "--data-dir", dataDirectory.toString(), "--input", input.toString(), "--output", output.toString());
        assertThat(batch.exitCode()).as(batch.toString()).isZero();
        List<String> rows = Files.readAllLines(output);
        assertThat(rows.get(0)).startsWith("full_name,match_id,match_name,match_score,match_list");
        assertThat(rows).hasSize(2);
        assertThat(batch.err()).contains("screened 1 rows: 1 with a match");

        // A name compared with itself scores 1 and matches; the missing column is reported with exit 2.
        Path pairs = directory.resolve("pairs.csv");
        String quoted = "\"" + designation.primaryName().replace("\"", "\"\"") + "\"";
        Files.writeString(pairs, "name1,name2\n" + quoted + "," + quoted + "\n");
        CliRunner.Result compare = CliRunner.run("screen", "compare", "--data-dir", dataDirectory.toString(), "--input", pairs.toString());
        assertThat(compare.exitCode()).as(compare.toString()).isZero();
        assertThat(compare.out().lines().toList()).hasSize(2).first().isEqualTo("name1,name2,score,match");
        assertThat(compare.out().lines().toList().get(1)).endsWith(",1.0000,true");
        Files.writeString(pairs, "first,second\nx,y\n");
        CliRunner.Result badHeader = CliRunner.run("screen", "compare", "--data-dir", dataDirectory.toString(), "--input", pairs.toString());
        assertThat(badHeader.exitCode()).isEqualTo(Main.INVALID_INPUT);
        assertThat(badHeader.err()).contains("name1").contains("name2");

        // Installing the same UN snapshot as an update changes nothing and is then the list in effect.
        Path update = directory.resolve("un.xml");
        try (InputStream shipped = SanctionsLists.class.getResourceAsStream("/org/vigie/screening/lists/un_consolidated_" + SanctionsLists.SHIPPED_UN_SNAPSHOT + ".xml")) {
            Files.copy(shipped, update);
        }
        CliRunner.Result installed = CliRunner.run("lists", "update", "--data-dir", dataDirectory.toString(), "--from", update.toString());
        assertThat(installed.exitCode()).as(installed.toString()).isZero();
        assertThat(installed.out()).contains("installed UN").contains(un.designations().size() + " designations").contains("0 added, 0 changed, 0 removed");
        assertThat(Files.isRegularFile(dataDirectory.resolve("lists/un.xml"))).isTrue();
        CliRunner.Result show = CliRunner.run("lists", "show", "--data-dir", dataDirectory.toString());
        assertThat(show.out().lines()).anyMatch(line -> line.startsWith("UN\t") && line.endsWith("\t" + dataDirectory.resolve("lists/un.xml")));

        Path malformed = directory.resolve("broken.xml");
        Files.writeString(malformed, "<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL>");
        CliRunner.Result rejected = CliRunner.run("lists", "update", "--data-dir", dataDirectory.toString(), "--from", malformed.toString());
        assertThat(rejected.exitCode()).isNotZero();
        assertThat(rejected.err()).contains("broken.xml");
        assertThat(Files.readString(dataDirectory.resolve("lists/un.xml"))).isEqualTo(Files.readString(update));
    }
}
