package org.vigie.screening;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.vigie.error.VigieException;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ScreenerTest
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
    void findsArabicSpellingVariantsWithAnExplanation()
    {
        // QDi.001 is MOHAMMED SALAHALDIN ABD EL HALIM ZIDANE.
        List<ScreeningResult> results = screener.screen(ScreeningQuery.of("Muhammad Salah al-Din Abdul Halim Zidan"));
        assertThat(results).isNotEmpty();
        ScreeningResult best = results.get(0);
        assertThat(best.key()).isEqualTo("UN:QDi.001");
        assertThat(best.score()).isBetween(Screener.RECOMMENDED_THRESHOLD, 1.0);
        Explanation explanation = best.explanation();
        assertThat(explanation.queryName()).isEqualTo("Muhammad Salah al-Din Abdul Halim Zidan");
        assertThat(explanation.pairs()).anySatisfy(pair -> {
            assertThat(pair.queryToken()).isEqualTo("muhammad");
            assertThat(pair.listToken()).isEqualTo("mohammed");
            assertThat(pair.rule()).isIn(MatchRule.PHONETIC, MatchRule.SPELLING_CLUSTER);
        });
        assertThat(explanation.pairs()).allSatisfy(pair -> assertThat(pair.score()).isBetween(0.0, 1.0));
    }

    @Test
    void aKunyaOnBothSidesCountsMoreThanItsNameAlone()
    {
        Explanation kunya = screener.compareNames("Abu Hamza", "Abou Hamza al-Masri");
        Explanation nameAlone = screener.compareNames("Abu Hamza", "Hamza al-Masri");
        assertThat(kunya.nameScore()).isGreaterThan(nameAlone.nameScore() + 0.05);
        assertThat(screener.compareNames("Abdul Rehman", "Abdur Rehman").nameScore()).isGreaterThan(0.9);
    }

    @Test
    void genderEndingsAndVoicingAreTreatedDifferently()
    {
        // Maria/Mario name two people; Saqar/Sagar and Tongbang/Dongbang are two transliterations of one name.
        assertThat(IndexedScreener.isGenderVariant("maria", "mario")).isTrue();
        assertThat(IndexedScreener.isGenderVariant("martin", "martina")).isTrue();
        assertThat(IndexedScreener.isGenderVariant("fatima", "fatimah")).isFalse();
        assertThat(screener.compareNames("Maria Gutierrez", "Mario Gutierrez").nameScore())
                .isLessThan(Screener.RECOMMENDED_THRESHOLD)
                .isLessThan(screener.compareNames("Maria Gutierrez", "Marya Gutierrez").nameScore() - 0.1);
        assertThat(screener.compareNames("Abu Sagar Zabin", "Abu Saqar Zabin").nameScore()).isGreaterThan(0.85);
        assertThat(screener.compareNames("Dongbang Bank", "Tongbang Bank").nameScore()).isGreaterThan(0.85);
    }

    @Test
    void aContradictedExactBirthDayCostsMoreThanAnApproximateYear()
    {
        BirthDate exact = BirthDate.ofDay(BirthDateType.EXACT, LocalDate.of(1970, 3, 1));
        BirthDate year = BirthDate.ofYear(BirthDateType.EXACT, 1970);
        BirthDate circa = BirthDate.ofYear(BirthDateType.APPROXIMATELY, 1970);
        BirthDate range = BirthDate.between(1968, 1972);
        LocalDate sameYearOtherDay = LocalDate.of(1970, 9, 12);
        LocalDate twoYearsLater = LocalDate.of(1972, 5, 5);
        assertThat(IndexedScreener.birthDateFactor(exact, exact.yearsApart(LocalDate.of(1970, 3, 1)))).isEqualTo(1.05);
        assertThat(IndexedScreener.birthDateFactor(exact, exact.yearsApart(sameYearOtherDay))).isEqualTo(0.85);
        assertThat(IndexedScreener.birthDateFactor(year, year.yearsApart(sameYearOtherDay))).isEqualTo(1.05);
        assertThat(IndexedScreener.birthDateFactor(range, range.yearsApart(twoYearsLater))).isEqualTo(1.05);
        assertThat(IndexedScreener.birthDateFactor(circa, circa.yearsApart(twoYearsLater))).isEqualTo(0.95);
        assertThat(IndexedScreener.birthDateFactor(exact, exact.yearsApart(LocalDate.of(1985, 1, 1)))).isEqualTo(0.6);
    }

    @Test
    void findsEveryUnRecordByItsExactPrimaryNameFirst()
    {
        int first = 0;
        for (Designation designation : un.designations()) {
            List<ScreeningResult> results = screener.screen(ScreeningQuery.of(designation.primaryName()).withLimit(5));
            if (!results.isEmpty() && results.stream().filter(result -> result.score() == results.get(0).score()).anyMatch(result -> result.key().equals(designation.key()))) {
                first++;
            }
        }
        // A few primary names are shared by two records (or by an OFAC entry) and tie at the top.
        assertThat((double) first / un.designations().size()).isGreaterThanOrEqualTo(0.99);
    }

    @Test
    void tokenOrderDoesNotMatter()
    {
        Random random = new Random(7);
        for (int i = 0; i < 200; i++) {
            Designation designation = un.designations().get(random.nextInt(un.designations().size()));
            List<String> tokens = new ArrayList<>(List.of(designation.primaryName().split(" ")));
            java.util.Collections.shuffle(tokens, random);
            String shuffled = String.join(" ", tokens);
            Explanation forward = screener.compareNames(designation.primaryName(), designation.primaryName());
            Explanation reordered = screener.compareNames(shuffled, designation.primaryName());
            assertThat(reordered.nameScore()).as(shuffled).isGreaterThanOrEqualTo(forward.nameScore() - 1e-9);
        }
    }

    @Test
    void commonTokensAloneDoNotMakeStrongMatches()
    {
        for (String common : List.of("CORP", "Trading", "Mohammed", "Company Limited", "Al", "Bank")) {
            assertThat(screener.screen(ScreeningQuery.of(common))).as(common).isEmpty();
        }
        List<ScreeningResult> corp = screener.screen(ScreeningQuery.of("CORP").withThreshold(0));
        assertThat(corp).allSatisfy(result -> assertThat(result.score()).isLessThan(0.5));
    }

    @Test
    void singleTokenDesignationsAreFound()
    {
        Designation single = un.designations().stream().filter(d -> !d.primaryName().contains(" ") && d.primaryName().length() >= 5).findFirst().orElseThrow();
        assertThat(screener.screen(ScreeningQuery.of(single.primaryName().toLowerCase()))).extracting(ScreeningResult::key).contains(single.key());
    }

    @Test
    void findsRecordsByTheirOriginalScriptName()
    {
        Designation designation = un.designations().stream().filter(d -> d.id().equals("QDi.001")).findFirst().orElseThrow();
        List<ScreeningResult> results = screener.screen(ScreeningQuery.of(designation.originalScriptNames().get(0)));
        assertThat(results).extracting(ScreeningResult::key).contains("UN:QDi.001");
    }

    @Test
    void birthDateAndTypeQualifyTheScore()
    {
        ScreeningQuery query = ScreeningQuery.of("Mohammed Salahaldin Abd El Halim Zidane").withThreshold(0.3);
        double plain = scoreOf(screener.screen(query), "UN:QDi.001");
        double sameBirth = scoreOf(screener.screen(query.withBirthDate(LocalDate.of(1963, 4, 11))), "UN:QDi.001");
        double otherBirth = scoreOf(screener.screen(query.withBirthDate(LocalDate.of(1990, 1, 1))), "UN:QDi.001");
        double organization = scoreOf(screener.screen(query.withType(EntityType.ORGANIZATION)), "UN:QDi.001");
        assertThat(sameBirth).isGreaterThanOrEqualTo(plain);
        assertThat(otherBirth).isLessThan(plain);
        assertThat(organization).isLessThan(plain);
        ScreeningResult mismatch = screener.screen(query.withBirthDate(LocalDate.of(1990, 1, 1))).stream().filter(r -> r.key().equals("UN:QDi.001")).findFirst().orElseThrow();
        assertThat(mismatch.explanation().qualifiers()).extracting(Qualifier::rule).contains(QualifierRule.BIRTH_DATE_MISMATCH);
    }

    @Test
    void resultsRespectThresholdLimitAndOrder()
    {
        List<ScreeningResult> results = screener.screen(ScreeningQuery.of("Mohammed Ali Hassan").withThreshold(0.5).withLimit(7));
        assertThat(results).hasSizeLessThanOrEqualTo(7);
        assertThat(results).allSatisfy(result -> assertThat(result.score()).isBetween(0.5, 1.0));
        for (int i = 1; i < results.size(); i++) {
            assertThat(results.get(i).score()).isLessThanOrEqualTo(results.get(i - 1).score());
        }
        assertThatThrownBy(() -> ScreeningQuery.of(" ")).isInstanceOf(VigieException.class).hasMessageContaining("empty");
        assertThatThrownBy(() -> ScreeningQuery.of("x").withThreshold(1.5)).isInstanceOf(VigieException.class).hasMessageContaining("1.5");
    }

    @Test
    void concurrentQueriesGiveTheSameResultsAsSequentialOnes()
            throws Exception
    {
        Random random = new Random(11);
        List<ScreeningQuery> queries = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            queries.add(ScreeningQuery.of(un.designations().get(random.nextInt(un.designations().size())).primaryName()).withThreshold(0.6));
        }
        List<List<ScreeningResult>> sequential = queries.stream().map(screener::screen).toList();
        ExecutorService executor = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<ScreeningResult>>> futures = queries.stream().map(query -> executor.submit(() -> screener.screen(query))).toList();
            for (int i = 0; i < queries.size(); i++) {
                assertThat(futures.get(i).get()).isEqualTo(sequential.get(i));
            }
        }
        finally {
            executor.shutdownNow();
        }
    }

    private static double scoreOf(List<ScreeningResult> results, String key)
    {
        return results.stream().filter(result -> result.key().equals(key)).mapToDouble(ScreeningResult::score).findFirst().orElse(0);
    }
}
