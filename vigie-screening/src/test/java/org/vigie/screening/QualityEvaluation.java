package org.vigie.screening;

import org.apache.commons.text.similarity.JaroWinklerSimilarity;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Measures matching quality: the score the true record gets for each positive query (synthetic
 * spelling variants of every UN primary name; UN aliases held out of the index), and the best score
 * any record gets for each of the 50,000 negatives. Recall, false-positive rate and precision at a
 * threshold follow from these scores.
 */
final class QualityEvaluation
{
    static final double[] THRESHOLDS = {0.60, 0.65, 0.70, 0.75, 0.80, 0.82, 0.85, 0.90, 0.95};
    static final double FLOOR = 0.5;

    private QualityEvaluation() {}

    record Positive(String query, String expectedKey, String source) {}

    /** Score of the expected record for each positive query (0 when not returned at FLOOR, limit 10). */
    static double[] positiveScores(Screener screener, List<Positive> positives)
    {
        double[] scores = new double[positives.size()];
        for (int i = 0; i < positives.size(); i++) {
            Positive positive = positives.get(i);
            for (ScreeningResult result : screener.screen(ScreeningQuery.of(positive.query()).withThreshold(FLOOR))) {
                if (result.key().equals(positive.expectedKey())) {
                    scores[i] = result.score();
                    break;
                }
            }
        }
        return scores;
    }

    static double recall(double[] scores, double threshold)
    {
        return (double) count(scores, threshold) / scores.length;
    }

    static int count(double[] scores, double threshold)
    {
        int found = 0;
        for (double score : scores) {
            if (score >= threshold) {
                found++;
            }
        }
        return found;
    }

    // --- synthetic spelling variants ---------------------------------------------------------

    private static final String[][] PARTICLE_VARIANTS = {
            {"al", "el", "ad", "al"}, {"bin", "ben", "ibn"}, {"abu", "abou"}, {"abd", "abdul", "abdel"}};
    private static final String[][] SPELLINGS = {
            {"mohammed", "muhammad", "mohamed", "mohammad", "muhammed"}, {"qaida", "qaeda", "kaida"}, {"daesh", "daech"},
            {"hussein", "husain", "hussain", "hossein"}, {"osama", "usama"}, {"omar", "umar"}, {"youssef", "yusuf", "yousef"}};
    private static final String[][] LETTER_PAIRS = {
            {"ou", "u"}, {"oo", "u"}, {"ee", "i"}, {"q", "k"}, {"ph", "f"}, {"kh", "kh"}, {"sh", "ch"}, {"dj", "j"}, {"ei", "ai"}};
    private static final String[][] VOWELS = {{"a", "e"}, {"e", "a"}, {"o", "u"}, {"u", "o"}, {"i", "e"}, {"e", "i"}};

    /** Variants of every UN primary name, each with one or two seeded transformations. */
    static List<Positive> syntheticVariants(SanctionsList un, long seed, int perName)
    {
        Random random = new Random(seed);
        List<Positive> positives = new ArrayList<>();
        for (Designation designation : un.designations()) {
            List<String> tokens = new ArrayList<>(List.of(NameNormalizer.foldLatin(designation.primaryName()).split(" ")));
            for (int v = 0; v < perName; v++) {
                List<String> variant = new ArrayList<>(tokens);
                int transformations = 1 + random.nextInt(2);
                List<String> applied = new ArrayList<>();
                for (int t = 0; t < transformations; t++) {
                    applied.add(transform(variant, random));
                }
                String query = String.join(" ", variant);
                positives.add(new Positive(query, designation.key(), String.join("+", applied)));
            }
        }
        return positives;
    }

    private static String transform(List<String> tokens, Random random)
    {
        int kind = random.nextInt(5);
        switch (kind) {
            case 0 -> {
                for (int i = 0; i < tokens.size(); i++) {
                    for (String[] group : PARTICLE_VARIANTS) {
                        for (String particle : group) {
                            if (tokens.get(i).equals(particle) || tokens.get(i).startsWith(particle) && group == PARTICLE_VARIANTS[3] && tokens.get(i).length() > 6) {
                                String replacement = group[random.nextInt(group.length)];
                                tokens.set(i, tokens.get(i).equals(particle) ? replacement : replacement + tokens.get(i).substring(particle.length()));
                                return "particle";
                            }
                        }
                    }
                }
                // No particle: add or change the article of a random token, as lists do (Zidane, al-Zidane).
                int i = random.nextInt(tokens.size());
                tokens.set(i, (random.nextBoolean() ? "al-" : "el-") + tokens.get(i));
                return "article";
            }
            case 1 -> {
                for (int i = 0; i < tokens.size(); i++) {
                    for (String[] group : SPELLINGS) {
                        for (String spelling : group) {
                            if (tokens.get(i).equals(spelling)) {
                                tokens.set(i, group[random.nextInt(group.length)]);
                                return "spelling";
                            }
                        }
                    }
                }
                return letterPair(tokens, random);
            }
            case 2 -> {
                return random.nextBoolean() ? letterPair(tokens, random) : vowel(tokens, random);
            }
            case 3 -> {
                if (tokens.size() >= 2) {
                    if (random.nextBoolean()) {
                        tokens.add(tokens.remove(0));
                    }
                    else {
                        tokens.add(0, tokens.remove(tokens.size() - 1));
                    }
                    return "reorder";
                }
                return vowel(tokens, random);
            }
            default -> {
                if (tokens.size() >= 3) {
                    tokens.remove(1 + random.nextInt(tokens.size() - 2));
                    return "drop-middle";
                }
                return vowel(tokens, random);
            }
        }
    }

    private static String letterPair(List<String> tokens, Random random)
    {
        for (int attempt = 0; attempt < 20; attempt++) {
            int i = random.nextInt(tokens.size());
            String[] pair = LETTER_PAIRS[random.nextInt(LETTER_PAIRS.length)];
            boolean forward = random.nextBoolean();
            String from = forward ? pair[0] : pair[1];
            String to = forward ? pair[1] : pair[0];
            if (tokens.get(i).contains(from) && !from.equals(to)) {
                tokens.set(i, tokens.get(i).replaceFirst(from, to));
                return "letter-pair";
            }
            // Doubling or undoubling a consonant.
            String token = tokens.get(i);
            for (int p = 1; p + 1 < token.length(); p++) {
                if (token.charAt(p) == token.charAt(p + 1) && "aeiou".indexOf(token.charAt(p)) < 0) {
                    tokens.set(i, token.substring(0, p) + token.substring(p + 1));
                    return "letter-pair";
                }
            }
        }
        return vowel(tokens, random);
    }

    private static String vowel(List<String> tokens, Random random)
    {
        for (int attempt = 0; attempt < 20; attempt++) {
            int i = random.nextInt(tokens.size());
            String token = tokens.get(i);
            String[] pair = VOWELS[random.nextInt(VOWELS.length)];
            int at = token.indexOf(pair[0], 1);
            if (at > 0 && token.length() >= 4) {
                tokens.set(i, token.substring(0, at) + pair[1] + token.substring(at + 1));
                return "vowel";
            }
        }
        return "none";
    }

    // --- held-out aliases ------------------------------------------------------------------------

    record HeldOut(String alias, String key, boolean spellingVariant) {}

    /**
     * Each Latin-script alias of a UN record is queried against UN + OFAC with that alias removed
     * (all aliases of the same round are removed together, one per record, and a new screener is
     * built per round). Aliases identical to another name of their record after folding are skipped.
     */
    static Map<HeldOut, Double> heldOutScores(SanctionsList un, SanctionsList ofac)
    {
        Map<HeldOut, Double> scores = new TreeMap<>((a, b) -> (a.key() + "|" + a.alias()).compareTo(b.key() + "|" + b.alias()));
        for (int round = 0; ; round++) {
            List<Designation> reduced = new ArrayList<>();
            List<HeldOut> queries = new ArrayList<>();
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
                if (remaining.contains(folded)) {
                    continue;
                }
                queries.add(new HeldOut(alias.name(), designation.key(), isSpellingVariant(folded, remaining)));
            }
            if (!any) {
                return scores;
            }
            Screener screener = Screener.create(List.of(new SanctionsList(un.name(), un.version(), un.source(), reduced), ofac));
            for (HeldOut query : queries) {
                double score = 0;
                for (ScreeningResult result : screener.screen(ScreeningQuery.of(query.alias()).withThreshold(FLOOR))) {
                    if (result.key().equals(query.key())) {
                        score = result.score();
                        break;
                    }
                }
                if (!scores.containsKey(query)) {
                    scores.put(query, score);
                }
            }
        }
    }

    /**
     * Independent of the matcher: the alias is a spelling variant of a remaining name when it has at
     * least two tokens of three letters or more and each is close (Jaro-Winkler ≥ 0.8) to a distinct
     * token of that name.
     */
    static boolean isSpellingVariant(String alias, List<String> remainingNames)
    {
        JaroWinklerSimilarity similarity = new JaroWinklerSimilarity();
        List<String> aliasTokens = List.of(alias.split(" ")).stream().filter(token -> token.length() >= 3).toList();
        if (aliasTokens.size() < 2) {
            return false;
        }
        for (String name : remainingNames) {
            List<String> nameTokens = new ArrayList<>(List.of(name.split(" ")));
            boolean all = true;
            for (String token : aliasTokens) {
                String bestToken = null;
                double best = 0;
                for (String candidate : nameTokens) {
                    double value = similarity.apply(token, candidate);
                    if (value > best) {
                        best = value;
                        bestToken = candidate;
                    }
                }
                if (best < 0.8) {
                    all = false;
                    break;
                }
                nameTokens.remove(bestToken);
            }
            if (all) {
                return true;
            }
        }
        return false;
    }

    // --- negatives ----------------------------------------------------------------------------

    record Negative(String fullName, Optional<LocalDate> birthDate, Optional<String> nationality) {}

    static List<Negative> negatives()
    {
        try (InputStream in = QualityEvaluation.class.getResourceAsStream("/org/vigie/screening/negatives_us.csv")) {
            CsvReader reader = new CsvReader(new InputStreamReader(in, StandardCharsets.UTF_8), "negatives_us.csv");
            List<List<String>> rows = reader.readAll();
            List<String> header = rows.get(0);
            int name = header.indexOf("full_name");
            int birth = header.indexOf("date_of_birth");
            int nationality = header.indexOf("nationality");
            List<Negative> negatives = new ArrayList<>();
            for (List<String> row : rows.subList(1, rows.size())) {
                if (row.size() < header.size()) {
                    continue;
                }
                negatives.add(new Negative(row.get(name),
                        row.get(birth).isEmpty() ? Optional.empty() : Optional.of(LocalDate.parse(row.get(birth))),
                        row.get(nationality).isEmpty() ? Optional.empty() : Optional.of(row.get(nationality))));
            }
            return negatives;
        }
        catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Best score of any record for each negative (0 when none at FLOOR). */
    static double[] negativeScores(Screener screener, List<Negative> negatives, boolean withQualifiers, Map<String, String> worst)
    {
        double[] scores = new double[negatives.size()];
        for (int i = 0; i < negatives.size(); i++) {
            Negative negative = negatives.get(i);
            ScreeningQuery query = ScreeningQuery.of(negative.fullName()).withThreshold(FLOOR).withLimit(1).withType(EntityType.PERSON);
            if (withQualifiers) {
                if (negative.birthDate().isPresent()) {
                    query = query.withBirthDate(negative.birthDate().get());
                }
                if (negative.nationality().isPresent()) {
                    query = query.withNationality(negative.nationality().get());
                }
            }
            List<ScreeningResult> results = screener.screen(query);
            if (!results.isEmpty()) {
                scores[i] = results.get(0).score();
                if (worst != null && scores[i] >= Screener.RECOMMENDED_THRESHOLD) {
                    worst.put(negative.fullName(), results.get(0).primaryName() + " " + String.format(Locale.ROOT, "%.3f", scores[i]) + " " + results.get(0).explanation().pairs() + " " + results.get(0).explanation().qualifiers());
                }
            }
        }
        return scores;
    }

    static String table(Map<String, double[]> recallSets, double[] negativeScores, Function<Double, String> label)
    {
        StringBuilder out = new StringBuilder();
        out.append("| threshold |");
        recallSets.keySet().forEach(name -> out.append(" recall ").append(name).append(" |"));
        out.append(" false hits (of ").append(negativeScores.length).append(") | FPR | precision (variants vs negatives) |\n|---|");
        recallSets.keySet().forEach(name -> out.append("---|"));
        out.append("---|---|---|\n");
        double[] first = recallSets.values().iterator().next();
        for (double threshold : THRESHOLDS) {
            out.append("| ").append(label.apply(threshold)).append(" |");
            for (double[] scores : recallSets.values()) {
                out.append(String.format(Locale.ROOT, " %.4f |", recall(scores, threshold)));
            }
            int falseHits = count(negativeScores, threshold);
            int truePositives = count(first, threshold);
            out.append(String.format(Locale.ROOT, " %d | %.4f%% | %.4f |\n", falseHits, 100.0 * falseHits / negativeScores.length,
                    truePositives + falseHits == 0 ? 1.0 : (double) truePositives / (truePositives + falseHits)));
        }
        return out.toString();
    }

}
