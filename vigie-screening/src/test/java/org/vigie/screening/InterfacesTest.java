package org.vigie.screening;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import org.vigie.stix.StixObject;
import org.vigie.stix.json.StixJson;
import tools.jackson.databind.JsonNode;

import java.io.StringReader;
import java.io.StringWriter;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Batch and compare CSV runs, the JSON of the HTTP layer, and the STIX export. */
class InterfacesTest
{
    private static SanctionsList un;
    private static Screener screener;

    @BeforeAll
    static void load()
    {
        un = SanctionsLists.loadShippedUn();
        screener = Screener.create(List.of(un, SanctionsLists.loadShippedOfac()));
    }

    @Test
    void batchWritesOneRowPerInputRowInOrder()
    {
        String input = "customer,full_name,date_of_birth,nationality\n"
                + "1,\"Zidane, Mohammed Salahaldin\",1963-04-11,Egypt\n"
                + "2,Kathryn Barr,1966-07-06,United Arab Emirates\n"
                + "3,,,\n"
                + "4,\"Muhammad Salah al-Din Abdul Halim Zidan\",,\n";
        StringWriter output = new StringWriter();
        List<Long> progress = new ArrayList<>();
        BatchSummary summary = BatchScreening.run(screener, new StringReader(input), output, new BatchOptions(Screener.RECOMMENDED_THRESHOLD, 2, 2), progress::add);
        List<List<String>> rows = new CsvReader(new StringReader(output.toString()), "output").readAll();
        assertThat(rows.get(0)).containsExactly("customer", "full_name", "date_of_birth", "nationality",
                "match_id", "match_name", "match_score", "match_list", "match_2_id", "match_2_name", "match_2_score", "match_2_list");
        assertThat(rows).hasSize(5);
        assertThat(rows.subList(1, 5)).extracting(row -> row.get(0)).containsExactly("1", "2", "3", "4");
        assertThat(rows.get(1).subList(0, 4)).containsExactly("1", "Zidane, Mohammed Salahaldin", "1963-04-11", "Egypt");
        assertThat(rows.get(1).get(4)).isEqualTo("QDi.001");
        assertThat(rows.get(1).get(5)).isEqualTo("MOHAMMED SALAHALDIN ABD EL HALIM ZIDANE");
        assertThat(Double.parseDouble(rows.get(1).get(6))).isGreaterThanOrEqualTo(Screener.RECOMMENDED_THRESHOLD);
        assertThat(rows.get(1).get(7)).isEqualTo("UN");
        assertThat(rows.get(2).subList(4, 12)).allMatch(String::isEmpty);
        assertThat(rows.get(3).subList(4, 12)).allMatch(String::isEmpty);
        assertThat(rows.get(4).get(4)).isEqualTo("QDi.001");
        assertThat(summary).isEqualTo(new BatchSummary(4, 2));
        assertThat(progress).isNotEmpty().last().isEqualTo(4L);
    }

    @Test
    void batchRejectsInputWithoutANameColumnOrWithABadDate()
    {
        assertThatThrownBy(() -> BatchScreening.run(screener, new StringReader("id,surname\n1,x\n"), new StringWriter(), BatchOptions.defaults(), ProgressListener.NONE))
                .isInstanceOf(VigieException.class).hasMessageContaining("no full_name or name column");
        assertThatThrownBy(() -> BatchScreening.run(screener, new StringReader("name,dob\nA B,1960-13-01\n"), new StringWriter(), BatchOptions.defaults(), ProgressListener.NONE))
                .isInstanceOf(VigieException.class).hasMessageContaining("line 2").hasMessageContaining("1960-13-01");
    }

    @Test
    void compareScoresPairsAndAppliesTheThreshold()
    {
        String input = "name1,name2,schema\nMohammed Zidane,Muhammad Zidan,Person\nKathryn Barr,Usama bin Laden,Person\n\"Usama bin Laden\",Osama ben Ladin,Person\n";
        StringWriter output = new StringWriter();
        BatchSummary summary = CompareScreening.run(screener, new StringReader(input), output, Screener.RECOMMENDED_THRESHOLD, ProgressListener.NONE);
        List<List<String>> rows = new CsvReader(new StringReader(output.toString()), "output").readAll();
        assertThat(rows.get(0)).containsExactly("name1", "name2", "schema", "score", "match");
        assertThat(rows.get(1).get(4)).isEqualTo("true");
        assertThat(rows.get(2).get(4)).isEqualTo("false");
        assertThat(Double.parseDouble(rows.get(2).get(3))).isLessThan(Double.parseDouble(rows.get(1).get(3)));
        assertThat(rows.get(3).get(4)).isEqualTo("true");
        assertThat(summary).isEqualTo(new BatchSummary(3, 2));
    }

    @Test
    void jsonQueriesAreValidatedAndResultsExplainThemselves()
    {
        JsonNode body = StixJson.parse("{\"name\":\"Muhammad Zidane\",\"aliases\":[\"Sayf al-Adl\"],\"birth_date\":\"1963-04-11\",\"nationality\":\"Egypt\",\"type\":\"person\",\"threshold\":0.7,\"limit\":3}");
        List<ScreeningQuery> queries = ScreeningJson.readQueries(body);
        assertThat(queries).containsExactly(new ScreeningQuery("Muhammad Zidane", List.of("Sayf al-Adl"), Optional.of(LocalDate.of(1963, 4, 11)), Optional.of("Egypt"), Optional.of(EntityType.PERSON), 0.7, 3));
        List<ScreeningResult> results = screener.screen(queries.get(0));
        JsonNode json = StixJson.parse(StixJson.compact(ScreeningJson.results(results)));
        List<String> ids = new ArrayList<>();
        json.get("results").forEach(result -> ids.add(result.get("list").stringValue() + ":" + result.get("id").stringValue()));
        assertThat(ids).contains("UN:QDi.001");
        JsonNode explanation = json.get("results").get(0).get("explanation");
        assertThat(explanation.get("pairs").isArray()).isTrue();
        assertThat(explanation.get("pairs").get(0).get("rule").stringValue()).isIn("exact", "spelling_cluster", "phonetic", "edit_distance", "initial", "particle");
        assertThat(explanation.get("qualifiers").toString()).contains("birth_date_match");
        // Serialisation is deterministic.
        assertThat(StixJson.compact(ScreeningJson.results(screener.screen(queries.get(0))))).isEqualTo(StixJson.compact(ScreeningJson.results(results)));

        assertThat(ScreeningJson.readQueries(StixJson.parse("{\"queries\":[{\"name\":\"a b\"},{\"name\":\"c d\",\"limit\":2}]}"))).extracting(ScreeningQuery::name).containsExactly("a b", "c d");
        assertInvalid("{\"aliases\":[]}", "name must be a non-empty string");
        assertInvalid("{\"name\":\"x\",\"threshold\":2}", "threshold 2.0 is outside");
        assertInvalid("{\"name\":\"x\",\"type\":\"robot\"}", "'robot' is not one of");
        assertInvalid("{\"name\":\"x\",\"birth_date\":\"11/04/1963\"}", "birth_date");
        assertInvalid("{\"name\":\"x\",\"nickname\":\"y\"}", "unknown property \"nickname\"");
        assertInvalid("{\"queries\":[]}", "non-empty array");
    }

    @Test
    void designationsExportAsStableValidStix()
    {
        Set<String> ids = new HashSet<>();
        for (Designation designation : un.designations()) {
            JsonNode stix = DesignationStix.toStix(designation, Instant.parse("2026-02-27T00:00:00Z"));
            StixObject object = StixObject.fromJson(StixJson.compact(stix));
            assertThat(object.type()).isIn("identity", "threat-actor");
            assertThat(object.specVersion()).isEqualTo("2.1");
            assertThat(ids.add(object.id())).as("unique id " + object.id()).isTrue();
            assertThat(stix.get("external_references").get(0).get("external_id").stringValue()).isEqualTo(designation.id());
            assertThat(StixJson.compact(DesignationStix.toStix(designation, Instant.parse("2026-02-27T00:00:00Z")))).isEqualTo(StixJson.compact(stix));
        }
        Designation alQaida = un.designations().stream().filter(d -> d.id().equals("QDe.004")).findFirst().orElseThrow();
        JsonNode actor = DesignationStix.toStix(alQaida, Instant.EPOCH);
        assertThat(actor.get("type").stringValue()).isEqualTo("threat-actor");
        assertThat(actor.get("aliases").size()).isEqualTo(alQaida.aliases().size() + alQaida.originalScriptNames().size());
        Designation person = un.designations().get(0);
        JsonNode identity = DesignationStix.toStix(person, Instant.EPOCH);
        assertThat(identity.get("identity_class").stringValue()).isEqualTo("individual");
        assertThat(identity.get("created").stringValue()).isEqualTo(person.listedOn().orElseThrow() + "T00:00:00.000Z");
        // RFC 4122 version 5, variant 2.
        assertThat(DesignationStix.identifier(person).version()).isEqualTo(5);
        assertThat(DesignationStix.identifier(person).variant()).isEqualTo(2);
        // Known UUIDv5 vector: DNS namespace, "python.org".
        assertThat(DesignationStix.uuidVersion5(java.util.UUID.fromString("6ba7b810-9dad-11d1-80b4-00c04fd430c8"), "python.org").toString()).isEqualTo("886313e1-3b8a-5372-9b90-0c9aee199e5d");
    }

    private static void assertInvalid(String json, String message)
    {
        assertThatThrownBy(() -> ScreeningJson.readQueries(StixJson.parse(json)))
                .isInstanceOfSatisfying(VigieException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_SCREENING_QUERY))
                .hasMessageContaining(message);
    }
}
