package org.vigie.screening;

import org.junit.jupiter.api.Test;
import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SanctionsListsTest
{
    @Test
    void readsEveryRecordOfTheShippedUnList()
    {
        SanctionsList un = SanctionsLists.loadShippedUn();
        assertThat(un.name()).isEqualTo("UN");
        assertThat(un.version()).isEqualTo("2026-02-27T00:00:09.554Z");
        assertThat(un.count(EntityType.PERSON)).isEqualTo(730);
        assertThat(un.count(EntityType.ORGANIZATION)).isEqualTo(273);
        assertThat(un.designations().stream().filter(d -> d.id().startsWith("QDi.")).count()).isEqualTo(252);
        assertThat(un.designations().stream().filter(d -> d.id().startsWith("QDe.")).count()).isEqualTo(89);
        List<Alias> individualAliases = un.designations().stream().filter(d -> d.type() == EntityType.PERSON).flatMap(d -> d.aliases().stream()).toList();
        // 2,139 alias elements of which some hold several spellings joined by "; ".
        assertThat(individualAliases.stream().filter(a -> a.quality() == AliasQuality.GOOD).count()).isGreaterThanOrEqualTo(1524);
        assertThat(individualAliases.stream().filter(a -> a.quality() == AliasQuality.LOW).count()).isGreaterThanOrEqualTo(615);
        assertThat(un.designations().stream().filter(d -> !d.originalScriptNames().isEmpty()).count()).isEqualTo(378);

        Designation first = find(un, "QDi.001");
        assertThat(first.primaryName()).isEqualTo("MOHAMMED SALAHALDIN ABD EL HALIM ZIDANE");
        assertThat(first.aliases()).contains(new Alias("Sayf-Al Adl", AliasQuality.GOOD), new Alias("Seif al Adel", AliasQuality.LOW));
        assertThat(first.originalScriptNames()).containsExactly("محمد صلاح الدين عبدالحليم زيدان");
        assertThat(first.birthDates()).containsExactly(
                BirthDate.ofDay(BirthDateType.EXACT, LocalDate.of(1963, 4, 11)),
                BirthDate.ofDay(BirthDateType.EXACT, LocalDate.of(1960, 4, 11)));
        assertThat(first.nationalities()).containsExactly("Egypt");
        assertThat(first.listedOn()).contains(LocalDate.of(2001, 1, 25));
        assertThat(first.programs()).containsExactly("Al-Qaida");

        Designation entity = find(un, "CDe.001");
        assertThat(entity.type()).isEqualTo(EntityType.ORGANIZATION);
        assertThat(entity.aliases()).contains(new Alias("Allied Democratic Forces", AliasQuality.ALSO_KNOWN_AS), new Alias("NALU", AliasQuality.FORMERLY_KNOWN_AS));

        assertThat(un.designations().stream().flatMap(d -> d.birthDates().stream()).map(BirthDate::type))
                .contains(BirthDateType.EXACT, BirthDateType.APPROXIMATELY, BirthDateType.BETWEEN);
        assertThat(un.designations().stream().flatMap(d -> d.aliases().stream()).map(Alias::name)).noneMatch(name -> name.contains(";"));
    }

    @Test
    void readsEveryRowOfTheShippedOfacFiles()
    {
        SanctionsList ofac = SanctionsLists.loadShippedOfac();
        // sdn.csv has 8,977 lines: 8,976 entries and the 0x1A end-of-file marker.
        assertThat(ofac.designations()).hasSize(8976);
        assertThat(ofac.count(EntityType.PERSON)).isEqualTo(4620);
        assertThat(ofac.count(EntityType.VESSEL)).isEqualTo(406);
        assertThat(ofac.count(EntityType.AIRCRAFT)).isEqualTo(277);
        assertThat(ofac.designations().stream().filter(d -> d.programs().contains("SDGT")).count()).isEqualTo(1709);
        assertThat(ofac.designations().stream().mapToInt(d -> d.aliases().size()).sum()).isEqualTo(11910);
        // 13,837 add.csv rows, of which 11,440 hold an address (the others are all -0-).
        assertThat(ofac.designations().stream().mapToInt(d -> d.addresses().size()).sum()).isEqualTo(11440);

        Designation abbas = ofac.designations().stream().filter(d -> d.id().equals("2674")).findFirst().orElseThrow();
        assertThat(abbas.primaryName()).isEqualTo("ABBAS, Abu");
        assertThat(abbas.birthDates()).containsExactly(BirthDate.ofDay(BirthDateType.EXACT, LocalDate.of(1948, 12, 10)));
    }

    @Test
    void rejectsMalformedUnFilesWithoutPartialLoad()
    {
        assertInvalid(() -> SanctionsLists.loadUn(stream("<CONSOLIDATED_LIST dateGenerated=\"x\"><INDIVIDUALS><INDIVIDUAL>"), "truncated.xml"), "truncated.xml", "not well-formed XML");
        assertInvalid(() -> SanctionsLists.loadUn(stream("<OTHER/>"), "other.xml"), "other.xml", "root element is <OTHER>");
        String noReference = "<CONSOLIDATED_LIST dateGenerated=\"2026-01-01\"><INDIVIDUALS>"
                + "<INDIVIDUAL><DATAID>1</DATAID><FIRST_NAME>A</FIRST_NAME><REFERENCE_NUMBER>QDi.900</REFERENCE_NUMBER></INDIVIDUAL>"
                + "<INDIVIDUAL><DATAID>2</DATAID><FIRST_NAME>B</FIRST_NAME></INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>";
        assertInvalid(() -> SanctionsLists.loadUn(stream(noReference), "bad.xml"), "DATAID 2", "no REFERENCE_NUMBER");
        String badDate = "<CONSOLIDATED_LIST dateGenerated=\"2026-01-01\"><INDIVIDUALS><INDIVIDUAL><FIRST_NAME>A</FIRST_NAME><REFERENCE_NUMBER>QDi.900</REFERENCE_NUMBER>"
                + "<INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>EXACT</TYPE_OF_DATE><DATE>1963-13-45</DATE></INDIVIDUAL_DATE_OF_BIRTH></INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>";
        assertInvalid(() -> SanctionsLists.loadUn(stream(badDate), "date.xml"), "QDi.900", "1963-13-45");
        String doctype = "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><CONSOLIDATED_LIST dateGenerated=\"x\">&e;</CONSOLIDATED_LIST>";
        assertInvalid(() -> SanctionsLists.loadUn(stream(doctype), "xxe.xml"), "xxe.xml", "DOCTYPE");
    }

    @Test
    void rejectsMalformedOfacFilesWithoutPartialLoad()
    {
        String sdn = "1,\"GOOD NAME\",-0- ,\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n";
        String wrongWidth = sdn + "2,\"SHORT\",-0- \n";
        assertInvalid(() -> SanctionsLists.loadOfac(stream(wrongWidth), stream(""), stream(""), "test"), "line 2", "has 3 fields, expected 12");
        String badNumber = sdn + "x2,\"NAME\",-0- ,\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n";
        assertInvalid(() -> SanctionsLists.loadOfac(stream(badNumber), stream(""), stream(""), "test"), "line 2", "'x2' is not a number");
        assertInvalid(() -> SanctionsLists.loadOfac(stream(sdn), stream("7,1,\"aka\",\"ORPHAN\",-0- \n"), stream(""), "test"), "alt.csv, line 1", "entry 7");
        assertInvalid(() -> SanctionsLists.loadOfac(stream(sdn + "3,\"OPEN"), stream(""), stream(""), "test"), "sdn.csv", "never closed");
        SanctionsList one = SanctionsLists.loadOfac(stream(sdn), stream("1,1,\"aka\",\"OTHER, NAME\",-0- \n"), stream("1,1,-0- ,\"Paris\",\"France\",-0- \n"), "test");
        assertThat(one.designations()).singleElement().satisfies(d -> {
            assertThat(d.aliases()).containsExactly(new Alias("OTHER, NAME", AliasQuality.ALSO_KNOWN_AS));
            assertThat(d.addresses()).containsExactly("Paris, France");
            assertThat(d.type()).isEqualTo(EntityType.ORGANIZATION);
        });
    }

    @Test
    void diffReportsAddedChangedAndRemoved()
    {
        SanctionsList un = SanctionsLists.loadShippedUn();
        List<Designation> edited = new java.util.ArrayList<>(un.designations());
        Designation removed = edited.remove(0);
        Designation before = edited.get(0);
        Designation after = new Designation(before.list(), before.id(), before.type(), before.primaryName() + " JUNIOR", before.aliases(), before.originalScriptNames(),
                before.birthDates(), before.placesOfBirth(), before.nationalities(), before.documents(), before.addresses(), before.programs(), before.listedOn(), before.remarks());
        edited.set(0, after);
        Designation added = new Designation("UN", "QDi.999", EntityType.PERSON, "NEW PERSON", List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), java.util.Optional.empty(), "");
        edited.add(added);
        ListDiff diff = SanctionsLists.diff(List.of(un), List.of(new SanctionsList("UN", "next", "test", edited)));
        assertThat(diff.added()).containsExactly(added);
        assertThat(diff.removed()).containsExactly(removed);
        assertThat(diff.changed()).containsExactly(new ListDiff.Change(before, after));
        assertThat(SanctionsLists.diff(List.of(un), List.of(un)).isEmpty()).isTrue();
    }

    private static Designation find(SanctionsList list, String id)
    {
        return list.designations().stream().filter(d -> d.id().equals(id)).findFirst().orElseThrow();
    }

    private static InputStream stream(String text)
    {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    private static void assertInvalid(org.assertj.core.api.ThrowableAssert.ThrowingCallable load, String where, String why)
    {
        assertThatThrownBy(load)
                .isInstanceOfSatisfying(VigieException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_SANCTIONS_LIST))
                .hasMessageContaining(where)
                .hasMessageContaining(why);
    }
}
