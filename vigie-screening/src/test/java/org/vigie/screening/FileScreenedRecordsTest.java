package org.vigie.screening;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FileScreenedRecordsTest
        extends ScreenedRecordsContractTest
{
    @TempDir
    Path directory;

    private int created;

    @Override
    protected ScreenedRecords create()
    {
        created++;
        return ScreenedRecords.file(directory.resolve("records-" + created + ".jsonl"));
    }

    @Test
    void reopeningReadsEveryFieldBack()
    {
        Path file = directory.resolve("nested/records.jsonl");
        ScreeningQuery full = ScreeningQuery.of("Ana \"Quoted\" Müller")
                .withBirthDate(LocalDate.of(1970, 2, 3))
                .withNationality("DE")
                .withType(EntityType.PERSON)
                .withThreshold(0.7)
                .withLimit(5);
        ScreeningQuery withAliases = new ScreeningQuery("Acme Trading", List.of("Acme Ltd", "أكمي"), Optional.empty(), Optional.empty(), Optional.of(EntityType.ORGANIZATION), 0.82, 10);
        ScreenedRecord first = new ScreenedRecord(Rescreening.recordId(full), full, List.of("UN:QDi.001", "OFAC-SDN:6365"), Optional.of(new ScreenedRecord.BestMatch("UN:QDi.001", "SOME NAME", 0.91)));
        ScreenedRecord second = new ScreenedRecord("customer-2", withAliases, List.of());
        ScreenedRecords records = ScreenedRecords.file(file);
        records.rememberAll(List.of(first, second));

        ScreenedRecords reopened = ScreenedRecords.file(file);
        assertThat(reopened.all()).containsExactlyInAnyOrder(first, second);
        assertThat(reopened.get(first.recordId())).contains(first);
    }

    @Test
    void aLastLineCutShortIsDroppedAndAMalformedLineIsNamed()
            throws IOException
    {
        Path file = directory.resolve("records.jsonl");
        ScreenedRecord record = new ScreenedRecord("a", ScreeningQuery.of("Some Name"), List.of("UN:QDi.001"));
        ScreenedRecords.file(file).remember(record);
        String complete = Files.readString(file);
        Files.writeString(file, "{\"record_id\":\"b\",\"qu", StandardOpenOption.APPEND);

        ScreenedRecords reopened = ScreenedRecords.file(file);
        assertThat(reopened.all()).containsExactly(record);
        assertThat(Files.readString(file)).isEqualTo(complete);

        Files.writeString(file, "not json\n" + complete, StandardCharsets.UTF_8);
        assertThatThrownBy(() -> ScreenedRecords.file(file))
                .isInstanceOf(VigieException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("line 1")
                .satisfies(e -> assertThat(((VigieException) e).errorCode()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
    }

    @Test
    void supersededLinesAreCompactedOnOpen()
            throws IOException
    {
        Path file = directory.resolve("records.jsonl");
        ScreenedRecords records = ScreenedRecords.file(file);
        for (int round = 0; round < 5; round++) {
            records.rememberAll(List.of(
                    new ScreenedRecord("a", ScreeningQuery.of("First Name"), List.of("UN:QDi." + round)),
                    new ScreenedRecord("b", ScreeningQuery.of("Second Name"), List.of())));
        }
        assertThat(Files.readAllLines(file)).hasSize(10);
        ScreenedRecords reopened = ScreenedRecords.file(file);
        assertThat(Files.readAllLines(file)).hasSize(2);
        assertThat(reopened.get("a")).map(ScreenedRecord::hitKeys).contains(List.of("UN:QDi.4"));
    }

    @Test
    void recordIdsAreStableAndIgnoreThresholdAndLimit()
    {
        ScreeningQuery query = ScreeningQuery.of("Juan Perez").withNationality("MX");
        assertThat(Rescreening.recordId(query)).isEqualTo(Rescreening.recordId(ScreeningQuery.of(" Juan Perez ").withNationality("MX").withThreshold(0.5).withLimit(3)));
        assertThat(Rescreening.recordId(query)).hasSize(32).matches("[0-9a-f]+");
        assertThat(Rescreening.recordId(query)).isNotEqualTo(Rescreening.recordId(ScreeningQuery.of("Juan Perez")));
        assertThat(Rescreening.recordId(query)).isNotEqualTo(Rescreening.recordId(query.withBirthDate(LocalDate.of(1980, 1, 1))));
    }

    @Test
    void compactionOnOpenNeverDropsLinesAppendedMeanwhile()
            throws Exception
    {
        Path file = directory.resolve("shared.jsonl");
        int records = 300;
        // Each id is written four times, so superseded lines soon outnumber live ones and opens compact the file.
        Thread writer = new Thread(() -> {
            ScreenedRecords appender = ScreenedRecords.file(file);
            for (int round = 0; round < 4; round++) {
                for (int index = 0; index < records; index++) {
                    appender.remember(new ScreenedRecord("record-" + index, ScreeningQuery.of("Name " + index), List.of("UN:QDi." + round)));
                }
            }
        }, "screened-records-writer");
        writer.start();
        while (writer.isAlive()) {
            ScreenedRecords.file(file);
        }
        writer.join();

        ScreenedRecords reopened = ScreenedRecords.file(file);
        assertThat(reopened.all()).hasSize(records);
        assertThat(reopened.all()).allSatisfy(record -> assertThat(record.hitKeys()).containsExactly("UN:QDi.3"));
    }
}
