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

import static org.assertj.core.api.Assertions.assertThat;

/** The quality targets of the screening issue, measured on the shipped lists; the figures are written to target/screening-quality.md. */
class ScreeningQualityTest
{
    private static final double THRESHOLD = Screener.RECOMMENDED_THRESHOLD;
    private static SanctionsList un;
    private static SanctionsList ofac;
    private static Screener screener;

    @BeforeAll
    static void load()
    {
        un = SanctionsLists.loadShippedUn();
        ofac = SanctionsLists.loadShippedOfac();
        screener = Screener.create(List.of(un, ofac));
    }

    @Test
    void syntheticVariantsOfEveryUnPrimaryNameFindTheirRecord()
            throws IOException
    {
        List<QualityEvaluation.Positive> variants = QualityEvaluation.syntheticVariants(un, 20260227L, 3);
        double[] scores = QualityEvaluation.positiveScores(screener, variants);
        StringBuilder misses = new StringBuilder();
        for (int i = 0; i < scores.length; i++) {
            if (scores[i] < THRESHOLD) {
                misses.append(variants.get(i)).append(' ').append(String.format(Locale.ROOT, "%.3f", scores[i])).append('\n');
            }
        }
        write("synthetic-misses.txt", misses.toString());
        assertThat(variants).hasSize(3 * un.designations().size());
        assertThat(QualityEvaluation.recall(scores, THRESHOLD)).isGreaterThanOrEqualTo(0.97);
    }

    @Test
    void heldOutAliasesFindTheirRecord()
            throws IOException
    {
        Map<QualityEvaluation.HeldOut, Double> scores = QualityEvaluation.heldOutScores(un, ofac);
        double[] variants = scores.entrySet().stream().filter(e -> e.getKey().spellingVariant()).mapToDouble(Map.Entry::getValue).toArray();
        double[] all = scores.values().stream().mapToDouble(Double::doubleValue).toArray();
        StringBuilder misses = new StringBuilder();
        scores.forEach((heldOut, score) -> {
            if (heldOut.spellingVariant() && score < THRESHOLD) {
                misses.append(heldOut).append(' ').append(String.format(Locale.ROOT, "%.3f", score)).append('\n');
            }
        });
        write("held-out-misses.txt", misses.toString());
        write("held-out-summary.txt", "aliases " + all.length + ", spelling variants " + variants.length
                + String.format(Locale.ROOT, ", recall all %.4f, recall variants %.4f%n", QualityEvaluation.recall(all, THRESHOLD), QualityEvaluation.recall(variants, THRESHOLD)));
        assertThat(variants.length).isGreaterThan(300);
        assertThat(QualityEvaluation.recall(variants, THRESHOLD)).isGreaterThanOrEqualTo(0.90);
    }

    @Test
    void negativesProduceFewFalseHits()
            throws IOException
    {
        List<QualityEvaluation.Negative> negatives = QualityEvaluation.negatives();
        assertThat(negatives).hasSize(50_000);
        Map<String, String> worst = new java.util.TreeMap<>();
        double[] nameOnly = QualityEvaluation.negativeScores(screener, negatives, false, worst);
        double[] qualified = QualityEvaluation.negativeScores(screener, negatives, true, null);
        StringBuilder report = new StringBuilder();
        worst.forEach((name, hit) -> report.append(name).append(" -> ").append(hit).append('\n'));
        write("negative-hits.txt", report.toString());
        double[] variantScores = QualityEvaluation.positiveScores(screener, QualityEvaluation.syntheticVariants(un, 20260227L, 3));
        Map<QualityEvaluation.HeldOut, Double> heldOut = QualityEvaluation.heldOutScores(un, ofac);
        Map<String, double[]> recall = new LinkedHashMap<>();
        recall.put("synthetic variants", variantScores);
        recall.put("held-out spelling-variant aliases", heldOut.entrySet().stream().filter(e -> e.getKey().spellingVariant()).mapToDouble(Map.Entry::getValue).toArray());
        recall.put("all held-out Latin aliases", heldOut.values().stream().mapToDouble(Double::doubleValue).toArray());
        write("screening-quality.md", "name only\n\n" + QualityEvaluation.table(recall, nameOnly, t -> String.format(Locale.ROOT, "%.2f", t))
                + "\nwith birth date and nationality\n\n" + QualityEvaluation.table(recall, qualified, t -> String.format(Locale.ROOT, "%.2f", t)));
        assertThat(QualityEvaluation.count(nameOnly, THRESHOLD)).isLessThanOrEqualTo(50);
        assertThat(QualityEvaluation.count(qualified, THRESHOLD)).isLessThanOrEqualTo(QualityEvaluation.count(nameOnly, THRESHOLD));
    }

    private static void write(String name, String text)
            throws IOException
    {
        Path directory = Path.of("target", "screening-quality");
        Files.createDirectories(directory);
        Files.writeString(directory.resolve(name), text);
    }
}
