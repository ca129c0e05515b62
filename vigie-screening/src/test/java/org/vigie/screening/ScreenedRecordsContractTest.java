package org.vigie.screening;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The contract every {@link ScreenedRecords} implementation meets; subclasses supply one. */
abstract class ScreenedRecordsContractTest
{
    protected abstract ScreenedRecords create();

    @Test
    void remembersReplacesAndListsByRecordId()
    {
        ScreenedRecords records = create();
        ScreeningQuery query = ScreeningQuery.of("Some Name");
        records.remember(new ScreenedRecord("b", query, List.of("UN:QDi.001")));
        records.remember(new ScreenedRecord("a", query, List.of()));
        records.remember(new ScreenedRecord("b", query, List.of("UN:QDi.002")));
        assertThat(records.all()).extracting(ScreenedRecord::recordId).containsExactly("a", "b");
        assertThat(records.get("b")).map(ScreenedRecord::hitKeys).contains(List.of("UN:QDi.002"));
        assertThat(records.get("c")).isEqualTo(Optional.empty());
    }

    @Test
    void rescreeningAfterAListChangeRaisesOnlyNewHits()
    {
        SanctionsList un = SanctionsLists.loadShippedUn();
        Designation target = un.designations().stream().filter(d -> d.id().equals("QDi.001")).findFirst().orElseThrow();
        List<Designation> without = un.designations().stream().filter(d -> d != target).toList();
        Screener before = Screener.create(List.of(new SanctionsList(un.name(), "before", "test", without)));
        Rescreening rescreening = new Rescreening(create());
        assertThat(rescreening.screen(before, "customer-1", ScreeningQuery.of("Muhammad Salahaldin Zidan"))).extracting(ScreeningResult::key).doesNotContain("UN:QDi.001");
        rescreening.screen(before, "customer-2", ScreeningQuery.of("Kathryn Barr"));

        Screener after = Screener.create(List.of(un));
        List<NewHit> hits = rescreening.rescreen(after);
        assertThat(hits).extracting(NewHit::recordId).containsExactly("customer-1");
        assertThat(hits.get(0).result().key()).isEqualTo("UN:QDi.001");
        // Nothing changed since: no new hits the second time.
        assertThat(rescreening.rescreen(after)).isEmpty();
    }
}
