package org.vigie.screening;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

// Temporary: prints held-out misses with explanations (deleted before hand-off).
class DiagnosticsTest
{
    @Test
    void heldOutMisses()
            throws Exception
    {
        SanctionsList un = SanctionsLists.loadShippedUn();
        SanctionsList ofac = SanctionsLists.loadShippedOfac();
        StringBuilder out = new StringBuilder();
        int total = 0;
        int found = 0;
        for (int round = 0; ; round++) {
            List<Designation> reduced = new ArrayList<>();
            List<String[]> queries = new ArrayList<>();
            boolean any = false;
            for (Designation designation : un.designations()) {
                if (round >= designation.aliases().size()) {
                    reduced.add(designation);
                    continue;
                }
                any = true;
                Alias alias = designation.aliases().get(round);
                Designation without = designation;
                String folded = NameNormalizer.foldLatin(alias.name());
                for (Alias other : designation.aliases()) {
                    if (NameNormalizer.foldLatin(other.name()).equals(folded)) {
                        without = without.withoutAlias(other);
                    }
                }
                reduced.add(without);
                if (NameNormalizer.containsArabic(alias.name()) || folded.isEmpty()) {
                    continue;
                }
                List<String> remaining = without.allNames().stream().filter(name -> !NameNormalizer.containsArabic(name)).map(NameNormalizer::foldLatin).toList();
                if (remaining.contains(folded) || !QualityEvaluation.isSpellingVariant(folded, remaining)) {
                    continue;
                }
                queries.add(new String[] {alias.name(), designation.key(), String.join(" | ", without.allNames())});
            }
            if (!any) {
                break;
            }
            Screener screener = Screener.create(List.of(new SanctionsList(un.name(), un.version(), un.source(), reduced), ofac));
            for (String[] query : queries) {
                total++;
                List<ScreeningResult> results = screener.screen(ScreeningQuery.of(query[0]).withThreshold(0.3).withLimit(400));
                ScreeningResult mine = results.stream().filter(r -> r.key().equals(query[1])).findFirst().orElse(null);
                if (mine != null && mine.score() >= Screener.RECOMMENDED_THRESHOLD && results.indexOf(mine) < 10) {
                    found++;
                    continue;
                }
                out.append(String.format(Locale.ROOT, "MISS %s [%s] names: %s%n", query[0], query[1], query[2]));
                if (mine != null) {
                    out.append(String.format(Locale.ROOT, "   rank %d score %.3f %s%n", results.indexOf(mine), mine.score(), describe(mine.explanation())));
                }
                else {
                    out.append("   not returned at 0.3\n");
                }
                for (int i = 0; i < Math.min(2, results.size()); i++) {
                    if (results.get(i) != mine) {
                        out.append(String.format(Locale.ROOT, "   top %s %.3f %s%n", results.get(i).primaryName(), results.get(i).score(), describe(results.get(i).explanation())));
                    }
                }
            }
        }
        out.append("found ").append(found).append(" of ").append(total).append(String.format(Locale.ROOT, " = %.4f%n", (double) found / total));
        Files.writeString(Path.of("/tmp/diag/held-out.txt"), out.toString());
    }

    static String describe(Explanation e)
    {
        StringBuilder b = new StringBuilder();
        b.append('"').append(e.matchedName()).append("\" ");
        for (TokenPair p : e.pairs()) {
            b.append(p.queryToken()).append('~').append(p.listToken()).append(' ').append(p.score()).append(' ').append(p.rule()).append(" w").append(p.weight()).append("; ");
        }
        b.append("uq").append(e.unmatchedQueryTokens()).append(" ul").append(e.unmatchedListTokens()).append(" name ").append(IndexedScreener.round(e.nameScore()));
        e.qualifiers().forEach(q -> b.append(' ').append(q.rule()).append(' ').append(q.factor()));
        return b.toString();
    }
}
