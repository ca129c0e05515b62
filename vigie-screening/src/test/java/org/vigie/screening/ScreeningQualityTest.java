package org.vigie.screening;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Matching quality on the shipped lists at the recommended threshold. Each evaluation runs once;
 * the precision/recall table by threshold and the misses are written to target/screening-quality/
 * (docs/SCREENING.md quotes them). The asserted floors are the figures measured when the model was
 * fixed; where they are below the targets, docs/SCREENING.md says so.
 */
class ScreeningQualityTest
{
    private static final double THRESHOLD = Screener.RECOMMENDED_THRESHOLD;
    private static SanctionsList un;
    private static SanctionsList ofac;
    private static Screener screener;
    private static List<QualityEvaluation.Positive> variants;
    private static double[] variantScores;
    private static double[] heldOutVariantScores;
    private static double[] heldOutAllScores;

    @BeforeAll
    static void evaluate()
            throws IOException
    {
        un = SanctionsLists.loadShippedUn();
        ofac = SanctionsLists.loadShippedOfac();
        screener = Screener.create(List.of(un, ofac));
        variants = QualityEvaluation.syntheticVariants(un, 20260227L, 3);
        variantScores = QualityEvaluation.positiveScores(screener, variants);
        Map<QualityEvaluation.HeldOut, Double> heldOut = QualityEvaluation.heldOutScores(un, ofac);
        heldOutVariantScores = heldOut.entrySet().stream().filter(e -> e.getKey().spellingVariant()).mapToDouble(Map.Entry::getValue).toArray();
        heldOutAllScores = heldOut.values().stream().mapToDouble(Double::doubleValue).toArray();

        StringBuilder misses = new StringBuilder();
        for (int i = 0; i < variantScores.length; i++) {
            if (variantScores[i] < THRESHOLD) {
                misses.append(variants.get(i)).append(' ').append(String.format(Locale.ROOT, "%.3f", variantScores[i])).append('\n');
            }
        }
        write("synthetic-misses.txt", misses.toString());
        StringBuilder heldOutMisses = new StringBuilder();
        heldOut.forEach((query, score) -> {
            if (query.spellingVariant() && score < THRESHOLD) {
                heldOutMisses.append(query).append(' ').append(String.format(Locale.ROOT, "%.3f", score)).append('\n');
            }
        });
        write("held-out-misses.txt", heldOutMisses.toString());
    }

    @Test
    void syntheticVariantsOfEveryUnPrimaryNameFindTheirRecord()
    {
        assertThat(variants).hasSize(3 * un.designations().size());
        assertThat(variants).extracting(QualityEvaluation.Positive::source).anyMatch(source -> source.contains("particle"))
                .anyMatch(source -> source.contains("letter-pair")).anyMatch(source -> source.contains("vowel"))
                .anyMatch(source -> source.contains("reorder")).anyMatch(source -> source.contains("drop-middle"));
        // Issue target 0.97; measured 0.9761 (see docs/SCREENING.md).
        assertThat(QualityEvaluation.recall(variantScores, THRESHOLD)).isGreaterThanOrEqualTo(0.975);
    }

    @Test
    void heldOutAliasesFindTheirRecord()
    {
        assertThat(heldOutVariantScores.length).isGreaterThan(1000);
        assertThat(heldOutAllScores.length).isGreaterThan(2500);
        // Issue target 0.90, met: measured 0.9026 (see docs/SCREENING.md).
        assertThat(QualityEvaluation.recall(heldOutVariantScores, THRESHOLD)).isGreaterThanOrEqualTo(0.90);
        assertThat(QualityEvaluation.recall(heldOutAllScores, THRESHOLD)).isGreaterThanOrEqualTo(0.55);
    }

    @Test
    void negativesProduceFewFalseHits()
            throws IOException
    {
        List<QualityEvaluation.Negative> negatives = QualityEvaluation.negatives();
        assertThat(negatives).hasSize(50_000);
        Map<String, String> worst = new TreeMap<>();
        double[] nameOnly = QualityEvaluation.negativeScores(screener, negatives, false, worst);
        Map<String, String> worstQualified = new TreeMap<>();
        double[] qualified = QualityEvaluation.negativeScores(screener, negatives, true, worstQualified);
        StringBuilder qualifiedReport = new StringBuilder();
        worstQualified.forEach((name, hit) -> qualifiedReport.append(name).append(" -> ").append(hit).append('\n'));
        write("negative-hits-qualified.txt", qualifiedReport.toString());
        StringBuilder report = new StringBuilder();
        worst.forEach((name, hit) -> report.append(name).append(" -> ").append(hit).append('\n'));
        write("negative-hits.txt", report.toString());
        Map<String, double[]> recall = new LinkedHashMap<>();
        recall.put("synthetic variants", variantScores);
        recall.put("held-out spelling-variant aliases", heldOutVariantScores);
        recall.put("all held-out Latin aliases", heldOutAllScores);
        write("screening-quality.md", "name only\n\n" + QualityEvaluation.table(recall, nameOnly, t -> String.format(Locale.ROOT, "%.2f", t))
                + "\nwith birth date and nationality\n\n" + QualityEvaluation.table(recall, qualified, t -> String.format(Locale.ROOT, "%.2f", t)));
        // The target (at most 50 of 50,000) holds when the negatives' birth date and nationality qualify the query.
        // Measured 29; the target is asserted, and a tighter guard catches regressions.
        assertThat(QualityEvaluation.count(qualified, THRESHOLD)).isLessThanOrEqualTo(50).isLessThanOrEqualTo(35);
        // Name alone is not enough to meet it (measured 557, 1.11%, see docs/SCREENING.md): a regression guard.
        assertThat(QualityEvaluation.count(nameOnly, THRESHOLD)).isLessThanOrEqualTo(580);
        assertThat(QualityEvaluation.count(qualified, THRESHOLD)).isLessThan(QualityEvaluation.count(nameOnly, THRESHOLD));
    }

    private static void write(String name, String text)
            throws IOException
    {
        Path directory = Path.of("target", "screening-quality");
        Files.createDirectories(directory);
        Files.writeString(directory.resolve(name), text);
    }
}
