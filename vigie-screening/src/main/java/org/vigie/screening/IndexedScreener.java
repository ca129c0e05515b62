package org.vigie.screening;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

import static java.util.Objects.requireNonNull;

/**
 * The screener: every listed name is normalised into weighted tokens once; a query gathers
 * candidate names through an inverted index of phonetic skeletons and spelling classes (so its cost
 * follows the number of names sharing a key, not the list size), then scores each candidate by
 * weighted token pairing and applies the qualifiers. See docs/SCREENING.md for the model.
 */
final class IndexedScreener
        implements Screener
{
    static final double PARTICLE_WEIGHT = 0.05;
    static final double INITIAL_WEIGHT = 0.15;
    static final double MIDDLE_DISCOUNT = 0.35;
    static final double MINIMUM_EVIDENCE = 0.8;
    static final double QUERY_COVERAGE_EXPONENT = 0.8;
    static final double PHONETIC_MINIMUM_SIMILARITY = 0.75;
    /** Extra weight of a name governed by the same particle on both sides: "Abu Hamza" is much rarer than "Hamza". */
    static final double KUNYA_BONUS = 0.3;
    static final double ABD_BONUS = 0.2;
    private static final double CANDIDATE_SHARE = 0.3;
    private static final int MAXIMUM_CANDIDATES = 150;

    private final List<SanctionsList> lists;
    private final SpellingClusters clusters;
    private final NameNormalizer normalizer;
    private final Designation[] designations;
    private final IndexedName[] names;
    private final Map<String, int[]> postings;
    private final Map<String, Integer> documentFrequency;
    private final Map<String, Integer> tokenIds = new HashMap<>();
    private final double maximumIdf;
    private final ThreadLocal<Scratch> scratch;

    IndexedScreener(List<SanctionsList> lists, SpellingClusters clusters)
    {
        this.lists = List.copyOf(requireNonNull(lists, "lists is null"));
        this.clusters = requireNonNull(clusters, "clusters is null");
        this.normalizer = new NameNormalizer(clusters);
        List<Designation> allDesignations = new ArrayList<>();
        lists.forEach(list -> allDesignations.addAll(list.designations()));
        this.designations = allDesignations.toArray(new Designation[0]);

        // First pass: tokens of every name, and in how many designations each token key occurs.
        // Normalising the names is most of the cost of building the index (and of a cold start), so
        // designations are normalised in parallel; results are gathered in designation order, so the
        // index is the same whatever the scheduling.
        List<List<RawName>> perDesignation = IntStream.range(0, designations.length).parallel()
                .mapToObj(this::rawNames)
                .toList();
        List<RawName> rawNames = new ArrayList<>();
        Map<String, Integer> frequency = new HashMap<>();
        for (List<RawName> raws : perDesignation) {
            Set<String> seen = new HashSet<>();
            for (RawName raw : raws) {
                rawNames.add(raw);
                for (String token : raw.tokens()) {
                    if (!NameNormalizer.CANONICAL_PARTICLES.contains(token)) {
                        seen.add(frequencyKey(token));
                    }
                }
            }
            seen.forEach(key -> frequency.merge(key, 1, Integer::sum));
        }
        this.documentFrequency = frequency;
        this.maximumIdf = Math.log((designations.length + 1.0) / 0.5);

        // Token ids in order of first appearance (sequential, so stable), then weighted tokens in
        // parallel (read-only from here on), then the inverted index.
        for (RawName raw : rawNames) {
            for (String token : raw.tokens()) {
                tokenIds.computeIfAbsent(token, ignored -> tokenIds.size());
            }
        }
        this.names = IntStream.range(0, rawNames.size()).parallel()
                .mapToObj(i -> new IndexedName(rawNames.get(i).designation(), rawNames.get(i).name(), rawNames.get(i).kind(), tokens(rawNames.get(i).tokens())))
                .toArray(IndexedName[]::new);
        Map<String, List<Integer>> index = new HashMap<>();
        for (int i = 0; i < names.length; i++) {
            for (Token token : names[i].tokens()) {
                for (String key : token.keys()) {
                    List<Integer> posting = index.computeIfAbsent(key, ignored -> new ArrayList<>());
                    if (posting.isEmpty() || posting.get(posting.size() - 1) != i) {
                        posting.add(i);
                    }
                }
            }
        }
        Map<String, int[]> compact = new HashMap<>();
        index.forEach((key, posting) -> compact.put(key, posting.stream().mapToInt(Integer::intValue).toArray()));
        this.postings = compact;
        int nameCount = names.length;
        int distinctTokens = tokenIds.size();
        this.scratch = ThreadLocal.withInitial(() -> new Scratch(nameCount, distinctTokens));
        // After the index, so that it does not compete with building it on a small machine.
        NameNormalizer.warmUpInBackground();
    }

    private record RawName(int designation, String name, NameKind kind, List<String> tokens) {}

    /** The normalised names of one designation: primary name, aliases, original-script names. */
    private List<RawName> rawNames(int index)
    {
        Designation designation = designations[index];
        List<RawName> rawNames = new ArrayList<>(1 + designation.aliases().size() + designation.originalScriptNames().size());
        addRaw(rawNames, index, designation.primaryName(), NameKind.PRIMARY, designation.type());
        for (Alias alias : designation.aliases()) {
            addRaw(rawNames, index, alias.name(), NameKind.ALIAS, designation.type());
        }
        for (String original : designation.originalScriptNames()) {
            addRaw(rawNames, index, original, NameKind.ORIGINAL_SCRIPT, designation.type());
        }
        return rawNames;
    }

    private void addRaw(List<RawName> rawNames, int designation, String name, NameKind kind, EntityType type)
    {
        List<String> tokens = normalizer.tokens(displayOrder(name, type));
        if (!tokens.isEmpty()) {
            rawNames.add(new RawName(designation, name, kind, tokens));
        }
    }

    /** OFAC writes persons as "LAST, First": put the given names first so that middle names are found in the middle. */
    private static String displayOrder(String name, EntityType type)
    {
        int comma = name.indexOf(',');
        if (type == EntityType.PERSON && comma > 0 && comma == name.lastIndexOf(',')) {
            return name.substring(comma + 1).strip() + " " + name.substring(0, comma).strip();
        }
        return name;
    }

    /** Long skeletons count spellings of one name together (mohammed, muhamad); short ones collide across names, so count the spelling. */
    private static String frequencyKey(String token)
    {
        String skeleton = NameNormalizer.skeleton(token);
        return skeleton.length() >= 4 ? "s" + skeleton : "t" + token;
    }

    private Token[] tokens(List<String> texts)
    {
        int first = -1;
        int last = -1;
        for (int i = 0; i < texts.size(); i++) {
            if (!NameNormalizer.CANONICAL_PARTICLES.contains(texts.get(i))) {
                if (first < 0) {
                    first = i;
                }
                last = i;
            }
        }
        Token[] result = new Token[texts.size()];
        for (int i = 0; i < texts.size(); i++) {
            String text = texts.get(i);
            boolean particle = NameNormalizer.CANONICAL_PARTICLES.contains(text);
            String skeleton = NameNormalizer.skeleton(text);
            double weight;
            if (particle) {
                weight = PARTICLE_WEIGHT;
            }
            else if (text.length() == 1) {
                weight = INITIAL_WEIGHT;
            }
            else {
                int frequency = documentFrequency.getOrDefault(frequencyKey(text), 0);
                double idf = Math.log((designations.length + 1.0) / (frequency + 0.5));
                // A token is only as telling as it is rare both on the lists and among people in general.
                double rarity = Math.min(idf / maximumIdf, clusters.populationRarity(text));
                weight = Math.max(PARTICLE_WEIGHT, Math.min(1, rarity));
                if (NameNormalizer.GENERIC_WORDS.contains(text)) {
                    weight = Math.min(weight, NameNormalizer.GENERIC_WEIGHT);
                }
            }
            int[] classes = particle ? new int[0] : clusters.clusters(text);
            List<String> keys = new ArrayList<>();
            if (!particle && text.length() > 1) {
                keys.add("s" + skeleton);
                for (int id : classes) {
                    keys.add("c" + id);
                }
            }
            int id = tokenIds.getOrDefault(text, -1);
            result[i] = new Token(id, text, skeleton, NameNormalizer.looseSkeleton(text), classes, particle, weight, i != first && i != last && !particle, keys, governor(texts, i, particle));
        }
        return result;
    }

    /** The particle abu or abd directly governing a name (an article may stand between: Abd al-Rahman), or null. */
    private static String governor(List<String> texts, int index, boolean particle)
    {
        if (particle) {
            return null;
        }
        int previous = index - 1;
        if (previous >= 0 && texts.get(previous).equals("al")) {
            previous--;
        }
        if (previous >= 0 && (texts.get(previous).equals("abu") || texts.get(previous).equals("abd"))) {
            return texts.get(previous);
        }
        return null;
    }

    record Token(int id, String text, String skeleton, String looseSkeleton, int[] classes, boolean particle, double weight, boolean middle, List<String> keys, String governor) {}

    record IndexedName(int designation, String name, NameKind kind, Token[] tokens) {}

    private record QueryName(String name, Token[] tokens) {}

    /** Per-thread working memory, so that a query allocates little. */
    private static final class Scratch
    {
        static final int CACHED_QUERY_TOKENS = 12;

        final float[] evidence;
        final int[] stamp;
        final int[] lastToken;
        int current;
        final int[] touched;
        // Candidates ranked by evidence: as long as the name count, since a common token touches thousands.
        final long[] ranked;
        // Similarity of query token r to listed token id, valid when similarityStamp equals current.
        final float[][] similarity = new float[CACHED_QUERY_TOKENS][];
        final int[][] similarityStamp = new int[CACHED_QUERY_TOKENS][];
        final double[] cells = new double[64 * 64];
        final MatchRule[] rules = new MatchRule[64 * 64];

        Scratch(int names, int distinctTokens)
        {
            evidence = new float[names];
            stamp = new int[names];
            lastToken = new int[names];
            touched = new int[names];
            ranked = new long[names];
            for (int r = 0; r < CACHED_QUERY_TOKENS; r++) {
                similarity[r] = new float[distinctTokens];
                similarityStamp[r] = new int[distinctTokens];
            }
        }
    }

    @Override
    public List<SanctionsList> lists()
    {
        return lists;
    }

    @Override
    public List<ScreeningResult> screen(ScreeningQuery query)
    {
        requireNonNull(query, "query is null");
        List<QueryName> queryNames = new ArrayList<>();
        for (String name : concat(query.name(), query.aliases())) {
            List<String> texts = normalizer.tokens(name);
            if (!texts.isEmpty() && texts.size() <= 64) {
                queryNames.add(new QueryName(name, tokens(texts)));
            }
        }
        Map<Integer, ScreeningResult> best = new HashMap<>();
        Scratch work = scratch.get();
        for (QueryName queryName : queryNames) {
            int[] candidates = candidates(queryName.tokens(), work);
            // Similarities cached for this query name (candidates() moved the stamp).
            for (int candidate : candidates) {
                IndexedName indexed = names[candidate];
                if (fastScore(queryName.tokens(), indexed.tokens(), work) * 1.05 < query.threshold()) {
                    continue;
                }
                Designation designation = designations[indexed.designation()];
                NameMatch match = match(queryName.tokens(), indexed.tokens());
                if (match.score() * 1.05 < query.threshold()) {
                    // Qualifiers raise a score by at most 5%: this name cannot reach the threshold.
                    continue;
                }
                List<Qualifier> qualifiers = new ArrayList<>(match.qualifiers());
                double score = qualify(match.score(), query, designation, qualifiers);
                if (score < query.threshold()) {
                    continue;
                }
                ScreeningResult previous = best.get(indexed.designation());
                if (previous == null || score > previous.score()) {
                    Explanation explanation = new Explanation(queryName.name(), indexed.name(), indexed.kind(), match.pairs(),
                            match.unmatchedQuery(), match.unmatchedList(), match.score(), qualifiers);
                    best.put(indexed.designation(), new ScreeningResult(designation.list(), designation.id(), designation.primaryName(), designation.type(), score, explanation));
                }
            }
        }
        return best.values().stream()
                .sorted(Comparator.comparingDouble(ScreeningResult::score).reversed()
                        .thenComparing(ScreeningResult::list)
                        .thenComparing(ScreeningResult::id))
                .limit(query.limit())
                .toList();
    }

    @Override
    public Explanation compareNames(String first, String second)
    {
        Token[] firstTokens = tokens(normalizer.tokens(requireNonNull(first, "first is null")));
        Token[] secondTokens = tokens(normalizer.tokens(requireNonNull(second, "second is null")));
        NameMatch match = match(firstTokens, secondTokens);
        return new Explanation(first, second, NameKind.PRIMARY, match.pairs(), match.unmatchedQuery(), match.unmatchedList(), match.score(), match.qualifiers());
    }

    private static List<String> concat(String name, List<String> aliases)
    {
        List<String> all = new ArrayList<>(aliases.size() + 1);
        all.add(name);
        all.addAll(aliases);
        return all;
    }

    /** Names sharing a blocking key with enough of the query's weight, most promising first, at most MAXIMUM_CANDIDATES. */
    private int[] candidates(Token[] query, Scratch work)
    {
        work.current++;
        int stamp = work.current;
        int touchedCount = 0;
        double total = 0;
        for (int t = 0; t < query.length; t++) {
            Token token = query[t];
            if (token.particle() || token.keys().isEmpty()) {
                continue;
            }
            total += token.weight();
            for (String key : token.keys()) {
                int[] posting = postings.get(key);
                if (posting == null) {
                    continue;
                }
                for (int name : posting) {
                    if (work.stamp[name] != stamp) {
                        work.stamp[name] = stamp;
                        work.evidence[name] = 0;
                        work.lastToken[name] = -1;
                        work.touched[touchedCount++] = name;
                    }
                    if (work.lastToken[name] != t) {
                        work.lastToken[name] = t;
                        work.evidence[name] += (float) token.weight();
                    }
                }
            }
        }
        double minimum = CANDIDATE_SHARE * total;
        int kept = 0;
        long[] ranked = work.ranked;
        for (int i = 0; i < touchedCount; i++) {
            int name = work.touched[i];
            if (work.evidence[name] >= minimum) {
                // Sort key: evidence descending, then name index ascending for determinism.
                ranked[kept++] = ((long) (Integer.MAX_VALUE - Float.floatToIntBits(work.evidence[name])) << 32) | name;
            }
        }
        Arrays.sort(ranked, 0, kept);
        int count = Math.min(kept, MAXIMUM_CANDIDATES);
        int[] result = new int[count];
        for (int i = 0; i < count; i++) {
            result[i] = (int) ranked[i];
        }
        return result;
    }

    /** The score of {@link #match} without building the explanation, using the per-query similarity cache. */
    private double fastScore(Token[] query, Token[] list, Scratch work)
    {
        int rows = query.length;
        int columns = list.length;
        if (rows > 64 || columns > 64 || rows * columns > work.cells.length) {
            return match(query, list).score();
        }
        double[] cells = work.cells;
        for (int r = 0; r < rows; r++) {
            boolean cacheable = r < Scratch.CACHED_QUERY_TOKENS;
            for (int c = 0; c < columns; c++) {
                int cell = r * columns + c;
                int id = list[c].id();
                if (cacheable && id >= 0 && work.similarityStamp[r][id] == work.current) {
                    cells[cell] = work.similarity[r][id];
                    continue;
                }
                cells[cell] = 0;
                similarity(query[r], list[c], cells, work.rules, cell);
                if (cacheable && id >= 0) {
                    work.similarity[r][id] = (float) cells[cell];
                    work.similarityStamp[r][id] = work.current;
                }
            }
        }
        return assign(query, list, cells, null, null);
    }

    /**
     * Greedy pairing by similarity (then weight) and the resulting score; fills {@code pairs} when
     * given, with the rules of each cell.
     */
    private static double assign(Token[] query, Token[] list, double[] similarity, MatchRule[] rules, NameParts parts)
    {
        int rows = query.length;
        int columns = list.length;
        long rowUsed = 0;
        long columnUsed = 0;
        double queryMatched = 0;
        double listMatched = 0;
        double queryBonus = 0;
        double listBonus = 0;
        double evidence = 0;
        // Compounds first: one token written as two on the other side (Wijijoko / Wiji Joko, Rafiuddin / Rafi bin Udin).
        for (int side = 0; side < 2; side++) {
            Token[] singles = side == 0 ? query : list;
            Token[] pairs = side == 0 ? list : query;
            for (int single = 0; single < singles.length; single++) {
                Token token = singles[single];
                long singleUsed = side == 0 ? rowUsed : columnUsed;
                if (token.particle() || token.text().length() < 5 || (singleUsed & (1L << single)) != 0) {
                    continue;
                }
                double bestSingle = 0;
                for (int other = 0; other < pairs.length; other++) {
                    bestSingle = Math.max(bestSingle, side == 0 ? similarity[single * columns + other] : similarity[other * columns + single]);
                }
                long pairUsed = side == 0 ? columnUsed : rowUsed;
                for (int first = 0; first < pairs.length; first++) {
                    int second = first + 1;
                    if (second < pairs.length && pairs[second].particle()) {
                        second++;
                    }
                    // The article may be the first half: Alrawi / al-Rawi.
                    boolean article = pairs[first].particle() && pairs[first].text().equals("al");
                    if (article) {
                        second = first + 1;
                    }
                    if (second >= pairs.length || pairs[first].particle() && !article || pairs[second].particle() || (pairUsed & (1L << first)) != 0 || (pairUsed & (1L << second)) != 0) {
                        continue;
                    }
                    int joinedLength = pairs[first].text().length() + pairs[second].text().length();
                    if (Math.abs(joinedLength - token.text().length()) > 2) {
                        continue;
                    }
                    double score = textSimilarity(token.text(), pairs[first].text() + pairs[second].text());
                    if (score >= 0.88 && score > bestSingle + 0.05) {
                        double pairWeight = Math.min(1, pairs[first].weight() + pairs[second].weight());
                        double queryWeight = side == 0 ? token.weight() : pairWeight;
                        double listWeight = side == 0 ? pairWeight : token.weight();
                        if (side == 0) {
                            rowUsed |= 1L << single;
                            columnUsed |= (1L << first) | (1L << second);
                        }
                        else {
                            columnUsed |= 1L << single;
                            rowUsed |= (1L << first) | (1L << second);
                        }
                        queryMatched += score * (side == 0 ? token.weight() : pairs[first].weight() + pairs[second].weight());
                        listMatched += score * (side == 0 ? pairs[first].weight() + pairs[second].weight() : token.weight());
                        evidence += score * Math.min(queryWeight, listWeight);
                        if (parts != null) {
                            String joined = pairs[first].text() + " " + pairs[second].text();
                            parts.pairs.add(new TokenPair(side == 0 ? token.text() : joined, side == 0 ? joined : token.text(), round(score), MatchRule.COMPOUND, round(Math.min(queryWeight, listWeight))));
                        }
                        break;
                    }
                }
            }
        }
        while (true) {
            int bestCell = -1;
            double bestValue = 0;
            for (int r = 0; r < rows; r++) {
                if ((rowUsed & (1L << r)) != 0) {
                    continue;
                }
                for (int c = 0; c < columns; c++) {
                    int cell = r * columns + c;
                    if ((columnUsed & (1L << c)) == 0 && similarity[cell] > 0) {
                        // Prefer the stronger pair, then the pair carrying more weight.
                        double value = similarity[cell] * 10 + query[r].weight() + list[c].weight();
                        if (value > bestValue) {
                            bestValue = value;
                            bestCell = cell;
                        }
                    }
                }
            }
            if (bestCell < 0) {
                break;
            }
            int r = bestCell / columns;
            int c = bestCell % columns;
            rowUsed |= 1L << r;
            columnUsed |= 1L << c;
            double score = similarity[bestCell];
            queryMatched += score * query[r].weight();
            listMatched += score * list[c].weight();
            if (!query[r].particle()) {
                evidence += score * Math.min(query[r].weight(), list[c].weight());
            }
            if (query[r].governor() != null && query[r].governor().equals(list[c].governor())) {
                // Both sides say "Abu X" (or "Abd X"): the pair names a kunya, which tells more than X alone.
                double bonus = query[r].governor().equals("abu") ? KUNYA_BONUS : ABD_BONUS;
                queryMatched += score * bonus;
                listMatched += score * bonus;
                queryBonus += bonus;
                listBonus += bonus;
                evidence += score * bonus;
            }
            if (parts != null) {
                parts.pairs.add(new TokenPair(query[r].text(), list[c].text(), round(score), rules[bestCell], round(Math.min(query[r].weight(), list[c].weight()))));
            }
        }
        double queryTotal = queryBonus;
        double listTotal = listBonus;
        for (int r = 0; r < rows; r++) {
            boolean used = (rowUsed & (1L << r)) != 0;
            queryTotal += effectiveWeight(query[r], used);
            if (!used && parts != null) {
                parts.unmatchedQuery.add(query[r].text());
            }
        }
        for (int c = 0; c < columns; c++) {
            boolean used = (columnUsed & (1L << c)) != 0;
            listTotal += effectiveWeight(list[c], used);
            if (!used && parts != null) {
                parts.unmatchedList.add(list[c].text());
            }
        }
        // Weighted geometric mean of how much of each name the pairs explain; the query side counts more,
        // as customer records often carry fewer names than the list (missing middle or family names).
        double score = queryTotal == 0 || listTotal == 0 ? 0
                : Math.pow(queryMatched / queryTotal, QUERY_COVERAGE_EXPONENT) * Math.pow(listMatched / listTotal, 1 - QUERY_COVERAGE_EXPONENT);
        if (score > 0 && evidence < MINIMUM_EVIDENCE) {
            double factor = Math.sqrt(evidence / MINIMUM_EVIDENCE);
            if (parts != null) {
                parts.qualifiers.add(new Qualifier(QualifierRule.LOW_INFORMATION, "paired tokens carry " + round(evidence) + " of the " + MINIMUM_EVIDENCE + " identity weight a strong match needs", round(factor)));
            }
            score *= factor;
        }
        return clamp(score);
    }

    private static final class NameParts
    {
        final List<TokenPair> pairs = new ArrayList<>();
        final List<String> unmatchedQuery = new ArrayList<>();
        final List<String> unmatchedList = new ArrayList<>();
        final List<Qualifier> qualifiers = new ArrayList<>(1);
    }

    record NameMatch(double score, List<TokenPair> pairs, List<String> unmatchedQuery, List<String> unmatchedList, List<Qualifier> qualifiers) {}

    /** Pairs tokens greedily by similarity and scores the pairing, with the explanation; see docs/SCREENING.md. */
    NameMatch match(Token[] query, Token[] list)
    {
        int rows = Math.min(query.length, 64);
        int columns = Math.min(list.length, 64);
        Token[] queryTokens = Arrays.copyOf(query, rows);
        Token[] listTokens = Arrays.copyOf(list, columns);
        double[] similarity = new double[rows * columns];
        MatchRule[] rules = new MatchRule[rows * columns];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < columns; c++) {
                similarity(queryTokens[r], listTokens[c], similarity, rules, r * columns + c);
            }
        }
        NameParts parts = new NameParts();
        double score = assign(queryTokens, listTokens, similarity, rules, parts);
        return new NameMatch(score, parts.pairs, parts.unmatchedQuery, parts.unmatchedList, parts.qualifiers);
    }

    private static double effectiveWeight(Token token, boolean matched)
    {
        // A middle name missing on one side is weak evidence against a match.
        return !matched && token.middle() ? token.weight() * MIDDLE_DISCOUNT : token.weight();
    }

    private static void similarity(Token query, Token list, double[] similarity, MatchRule[] rules, int cell)
    {
        if (query.particle() || list.particle()) {
            if (query.text().equals(list.text())) {
                similarity[cell] = 1;
                rules[cell] = MatchRule.PARTICLE;
            }
            return;
        }
        String a = query.text();
        String b = list.text();
        if (a.equals(b)) {
            similarity[cell] = 1;
            rules[cell] = MatchRule.EXACT;
            return;
        }
        if (a.length() == 1 || b.length() == 1) {
            if (a.charAt(0) == b.charAt(0)) {
                similarity[cell] = 0.8;
                rules[cell] = MatchRule.INITIAL;
            }
            return;
        }
        if (isGenderVariant(a, b)) {
            // Maria/Mario, Martin/Martina: the Romance gender ending tells two people apart, not two spellings.
            similarity[cell] = 0.6;
            rules[cell] = MatchRule.EDIT_DISTANCE;
            return;
        }
        if (query.skeleton().charAt(0) == list.skeleton().charAt(0) && intersects(query.classes(), list.classes())) {
            similarity[cell] = 0.95;
            rules[cell] = MatchRule.SPELLING_CLUSTER;
            return;
        }
        if (query.skeleton().equals(list.skeleton()) && a.length() <= 4 && b.length() <= 4 && (query.skeleton().length() >= 2 || "aeiou".indexOf(query.skeleton().charAt(0)) < 0)
                && (a.charAt(0) == b.charAt(0) || "aeiouy".indexOf(a.charAt(0)) >= 0 && "aeiouy".indexOf(b.charAt(0)) >= 0)) {
            // Short syllables (Korean, Chinese) differ only by vowel spelling: ri/ree, il/eel, ha/hwa.
            similarity[cell] = 0.85;
            rules[cell] = MatchRule.PHONETIC;
            return;
        }
        if (query.skeleton().equals(list.skeleton()) && (query.skeleton().length() >= 3 || a.length() >= 3 && b.length() >= 3)) {
            // Different names share skeletons (moreno/marwan): the spellings must also look alike.
            double jaroWinkler = JaroWinkler.similarity(a, b);
            if (jaroWinkler >= PHONETIC_MINIMUM_SIMILARITY) {
                similarity[cell] = 0.5 + 0.45 * jaroWinkler;
                rules[cell] = MatchRule.PHONETIC;
                return;
            }
        }
        int longer = Math.max(a.length(), b.length());
        if (Math.abs(a.length() - b.length()) * 3 > longer || longer < 4) {
            return;
        }
        double jaroWinkler = JaroWinkler.similarity(a, b);
        if (jaroWinkler >= 0.90) {
            similarity[cell] = jaroWinkler * 0.95;
            rules[cell] = MatchRule.EDIT_DISTANCE;
        }
        if (a.length() >= 4 && b.length() >= 4 && jaroWinkler >= 0.8 && query.looseSkeleton().length() >= 3 && query.looseSkeleton().equals(list.looseSkeleton())) {
            // Transliterations that voice or unvoice a consonant: Saqar/Sagar, Tongbang/Dongbang, Zabin/Sabin.
            double loose = 0.5 + 0.4 * jaroWinkler;
            if (loose > similarity[cell]) {
                similarity[cell] = loose;
                rules[cell] = MatchRule.PHONETIC;
            }
        }
    }

    /** Two spellings that differ only by a Romance gender ending: a/o (Maria, Mario) or an added a (Martin, Martina). */
    static boolean isGenderVariant(String a, String b)
    {
        if (a.length() < 4 || b.length() < 4) {
            return false;
        }
        String shorter = a.length() <= b.length() ? a : b;
        String longer = a.length() <= b.length() ? b : a;
        if (longer.length() == shorter.length()) {
            int last = longer.length() - 1;
            char x = longer.charAt(last);
            char y = shorter.charAt(last);
            return (x == 'a' && y == 'o' || x == 'o' && y == 'a') && longer.regionMatches(0, shorter, 0, last);
        }
        return longer.length() == shorter.length() + 1 && longer.endsWith("a") && longer.startsWith(shorter) && "aeiouy".indexOf(shorter.charAt(shorter.length() - 1)) < 0;
    }

    /** Similarity of two spellings without spelling classes (used for compounds). */
    private static double textSimilarity(String a, String b)
    {
        if (a.equals(b)) {
            return 1;
        }
        double jaroWinkler = JaroWinkler.similarity(a, b);
        if (jaroWinkler >= PHONETIC_MINIMUM_SIMILARITY && NameNormalizer.skeleton(a).equals(NameNormalizer.skeleton(b))) {
            return 0.5 + 0.45 * jaroWinkler;
        }
        return jaroWinkler >= 0.90 ? jaroWinkler * 0.95 : 0;
    }

    private static boolean intersects(int[] first, int[] second)
    {
        int i = 0;
        int j = 0;
        while (i < first.length && j < second.length) {
            if (first[i] == second[j]) {
                return true;
            }
            if (first[i] < second[j]) {
                i++;
            }
            else {
                j++;
            }
        }
        return false;
    }

    private double qualify(double score, ScreeningQuery query, Designation designation, List<Qualifier> qualifiers)
    {
        double result = score;
        if (query.type().isPresent() && query.type().get() != designation.type()) {
            qualifiers.add(new Qualifier(QualifierRule.TYPE_MISMATCH, "query is " + query.type().get() + ", designation is " + designation.type(), 0.85));
            result *= 0.85;
        }
        if (query.birthDate().isPresent() && !designation.birthDates().isEmpty()) {
            LocalDate date = query.birthDate().get();
            double bestFactor = 0;
            int closest = Integer.MAX_VALUE;
            BirthDate nearest = null;
            for (BirthDate listed : designation.birthDates()) {
                int apart = listed.yearsApart(date);
                double factor = birthDateFactor(listed, apart);
                if (factor > bestFactor) {
                    bestFactor = factor;
                    closest = apart;
                    nearest = listed;
                }
            }
            if (closest == 0) {
                qualifiers.add(new Qualifier(QualifierRule.BIRTH_DATE_MATCH, date + " agrees with listed " + nearest.text(), bestFactor));
            }
            else {
                qualifiers.add(new Qualifier(QualifierRule.BIRTH_DATE_MISMATCH, date + " is " + closest + " year(s) from listed " + nearest.text(), bestFactor));
            }
            result *= bestFactor;
        }
        if (query.nationality().isPresent() && !designation.nationalities().isEmpty()) {
            String wanted = NameNormalizer.foldLatin(query.nationality().get());
            boolean agrees = designation.nationalities().stream().map(NameNormalizer::foldLatin).anyMatch(listed -> listed.equals(wanted) || listed.contains(wanted) || wanted.contains(listed));
            if (agrees) {
                qualifiers.add(new Qualifier(QualifierRule.NATIONALITY_MATCH, query.nationality().get() + " is a listed nationality", 1.0));
            }
            else {
                qualifiers.add(new Qualifier(QualifierRule.NATIONALITY_MISMATCH, query.nationality().get() + " is not among " + String.join(", ", designation.nationalities()), 0.9));
                result *= 0.9;
            }
        }
        return clamp(result);
    }

    /**
     * A listed exact day that the query's day contradicts is strong evidence of another person; a
     * listed year, approximate year or range only says how far off the query is, and lists often
     * give several, so a year or two apart costs little.
     */
    static double birthDateFactor(BirthDate listed, int yearsApart)
    {
        if (yearsApart == 0) {
            return 1.05;
        }
        if (listed.day().isPresent() && listed.type() == BirthDateType.EXACT) {
            return yearsApart <= 1 ? 0.85 : yearsApart <= 5 ? 0.75 : 0.6;
        }
        return yearsApart <= 2 ? 0.95 : yearsApart <= 5 ? 0.85 : 0.7;
    }

    private static double clamp(double score)
    {
        return Math.max(0, Math.min(1, score));
    }

    static double round(double value)
    {
        return Math.round(value * 10000) / 10000.0;
    }

    @Override
    public String toString()
    {
        return String.format(Locale.ROOT, "IndexedScreener[%d designations, %d names, %d keys]", designations.length, names.length, postings.size());
    }
}
