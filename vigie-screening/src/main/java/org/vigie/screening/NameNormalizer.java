package org.vigie.screening;

import com.ibm.icu.text.Transliterator;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Turns a name in any script into canonical Latin tokens: Unicode compatibility folding, accents
 * removed, Arabic script transliterated through the Wikidata spelling clusters (ICU Arabic-Latin
 * for unknown words), other scripts through ICU Any-Latin, and Arabic particles canonicalised
 * (el/ad/as → al; ben/ibn/bint/ould → bin; abou → abu; abdul/abdel → abd, split from a glued name).
 */
final class NameNormalizer
{
    /** Articles, kept as the particle "al" when followed by another token. */
    private static final Set<String> ARTICLES = Set.of("al", "el", "ul", "ol", "aal");
    /** Assimilated articles (ad-Din, ar-Rahman, ash-Shami): articles only before a word starting with their consonant. */
    private static final Set<String> ASSIMILATED_ARTICLES = Set.of("ad", "ar", "as", "ash", "at", "az", "an", "ed", "er", "es", "et", "ez", "en", "ud", "ur", "us", "uz");
    /** Consonants an article assimilates to (the Arabic sun letters, in Latin spelling). */
    private static final String SUN_LETTERS = "tdrzsln";
    /** Honorifics and titles, which say nothing about who the person is. */
    private static final Set<String> TITLES = Set.of("mullah", "mulla", "mullo", "mollah", "haji", "hajji", "haj", "hajj", "hadji", "alhaj", "alhajji", "maulana", "mawlana", "moulana", "sheikh", "shaikh", "shaykh", "sheik",
            "maulavi", "maulvi", "mawlawi", "mawlavi", "molvi", "qari", "hafiz", "hafez", "doctor", "dr", "mr", "mrs", "ms", "general", "colonel", "captain");
    private static final Map<String, String> PARTICLES = Map.ofEntries(
            Map.entry("bin", "bin"), Map.entry("ben", "bin"), Map.entry("ibn", "bin"), Map.entry("bn", "bin"), Map.entry("ibin", "bin"),
            Map.entry("bint", "bin"), Map.entry("binti", "bin"), Map.entry("bent", "bin"), Map.entry("ould", "bin"), Map.entry("wuld", "bin"), Map.entry("walad", "bin"),
            Map.entry("abu", "abu"), Map.entry("abou", "abu"), Map.entry("abo", "abu"), Map.entry("aboo", "abu"), Map.entry("abi", "abu"),
            Map.entry("abd", "abd"), Map.entry("abdul", "abd"), Map.entry("abdel", "abd"), Map.entry("abdal", "abd"), Map.entry("abdoul", "abd"),
            Map.entry("abdol", "abd"), Map.entry("abdil", "abd"), Map.entry("abdur", "abd"), Map.entry("abder", "abd"), Map.entry("abdar", "abd"),
            Map.entry("abdou", "abd"), Map.entry("abdu", "abd"), Map.entry("abdi", "abd"));
    /**
     * Legal forms and generic words of organisation names: they say what kind of body it is, not
     * which one, so they weigh at most {@link #GENERIC_WEIGHT}.
     */
    static final Set<String> GENERIC_WORDS = Set.of("corp", "corporation", "co", "company", "companies", "ltd", "limited", "inc", "incorporated", "llc", "lp", "llp",
            "sa", "sas", "sarl", "srl", "spa", "gmbh", "ag", "kg", "bv", "nv", "plc", "jsc", "ojsc", "cjsc", "pjsc", "oao", "zao", "ooo", "pao", "fze", "fzco", "fzc",
            "trading", "trade", "group", "holding", "holdings", "international", "intl", "industries", "industry", "industrial", "enterprise", "enterprises",
            "the", "of", "and", "for", "de", "del", "la", "le", "les", "y", "e", "et", "und", "in", "bank", "services", "service", "general", "organization",
            "organisation", "establishment", "est", "agency", "foundation", "association", "import", "export", "shipping", "investment", "investments", "sociedad", "anonima");
    static final double GENERIC_WEIGHT = 0.1;

    /** Canonical particles: they carry little identity, so they get a small fixed weight. */
    static final Set<String> CANONICAL_PARTICLES = Set.of("al", "bin", "abu", "abd", "title");

    private static final ThreadLocal<Transliterator> ANY_TO_LATIN = ThreadLocal.withInitial(() -> Transliterator.getInstance("Any-Latin; Latin-ASCII"));
    private static final ThreadLocal<Transliterator> ARABIC_TO_LATIN = ThreadLocal.withInitial(() -> Transliterator.getInstance("Arabic-Latin; Latin-ASCII"));

    /**
     * A word in each script whose ICU rules are loaded on first use (Han-Latin alone takes about a
     * second): {@link #warmUpInBackground} loads them before a query needs them.
     */
    private static final String SCRIPT_SAMPLES = "Иван Ἀλέξανδρος 张伟 山田 やまだ ヤマダ 김민준 ทักษิณ ສົມ ខ្មែរ မြန် דוד देव বাংলা ગુજ ਪੰਜਾ தமிழ் తెలు ಕನ್ನ മലയാ සිං ქართ Հայ ܐܬܘܪ ދިވެ ኢትዮ";
    private static final AtomicBoolean WARMED = new AtomicBoolean();

    private final SpellingClusters clusters;

    /**
     * Once per process, transliterates {@link #SCRIPT_SAMPLES} on a low-priority daemon thread: ICU
     * caches the rules of each script for every transliterator, so the first query in Chinese or
     * Thai does not pay for loading them (a tail latency of over a second otherwise).
     */
    static void warmUpInBackground()
    {
        if (WARMED.compareAndSet(false, true)) {
            Thread thread = new Thread(() -> {
                ANY_TO_LATIN.get().transliterate(SCRIPT_SAMPLES);
                ARABIC_TO_LATIN.get().transliterate("محمد");
            }, "vigie-screening-transliterator-warm-up");
            thread.setDaemon(true);
            thread.setPriority(Thread.MIN_PRIORITY);
            thread.start();
        }
    }

    NameNormalizer(SpellingClusters clusters)
    {
        this.clusters = clusters;
    }

    /** The canonical tokens of a name, particles included, in the order written. */
    List<String> tokens(String name)
    {
        String latin = containsArabic(name) ? arabicToLatin(name) : name;
        String folded = foldLatin(latin);
        List<String> raw = new ArrayList<>();
        for (String token : folded.split(" ")) {
            if (!token.isEmpty()) {
                raw.add(token);
            }
        }
        List<String> result = new ArrayList<>(raw.size() + 2);
        for (int i = 0; i < raw.size(); i++) {
            String token = raw.get(i);
            boolean last = i == raw.size() - 1;
            // Plain articles are particles wherever they stand (HARAKAT-UL JIHAD, JIHAD ... HARAKAT UL), so order never matters.
            if (ARTICLES.contains(token) && raw.size() > 1
                    || !last && ASSIMILATED_ARTICLES.contains(token) && raw.get(i + 1).startsWith(token.substring(1)) && raw.get(i + 1).length() > 2) {
                result.add("al");
                continue;
            }
            // After an article a title word is a family name (El Sheikh).
            if (TITLES.contains(token) && raw.size() > 1 && (i == 0 || !ARTICLES.contains(raw.get(i - 1)))) {
                result.add("title");
                continue;
            }
            String particle = PARTICLES.get(token);
            if (particle != null && raw.size() > 1) {
                result.add(particle);
                continue;
            }
            if (token.startsWith("abd") && token.length() >= 6 && !token.startsWith("abdo") || token.startsWith("abdou") && token.length() >= 8) {
                // Abdelrahman, Abdulrahman, Abdurrahman, Abdallah: "abd" plus the name it governs.
                result.add("abd");
                result.add(governedName(token.substring(3)));
                continue;
            }
            if (token.length() >= 5 && "aeiou".indexOf(token.charAt(0)) >= 0 && token.charAt(1) == token.charAt(2) && SUN_LETTERS.indexOf(token.charAt(1)) >= 0
                    && !clusters.isKnownLatin(token) && clusters.isKnownLatin(token.substring(2))) {
                // Assimilated article glued to its name: Uddin, Eddine, Urrahman (ud-Din, ed-Dine, ur-Rahman).
                result.add("al");
                result.add(token.substring(2));
                continue;
            }
            if ((token.startsWith("al") || token.startsWith("el")) && token.length() >= 6 && !clusters.isKnownLatin(token)
                    && clusters.isKnownLatin(token.substring(2))) {
                // Article glued to a known name: Alhamdi, Elqaida.
                result.add("al");
                result.add(token.substring(2));
                continue;
            }
            result.add(token);
        }
        return result;
    }

    private static String governedName(String rest)
    {
        String name = rest;
        // Drop the article's vowel and l (el, ul, al, oul) or the vowel before an assimilated consonant (urrahman).
        int vowels = 0;
        while (vowels < name.length() - 2 && "aeiou".indexOf(name.charAt(vowels)) >= 0) {
            vowels++;
        }
        name = name.substring(vowels);
        if (name.startsWith("l") && name.length() > 3) {
            name = name.substring(1);
        }
        else if (name.length() > 3 && name.charAt(0) == name.charAt(1)) {
            name = name.substring(1);
        }
        if (name.equals("lah") || name.equals("llah") || name.equals("la") || name.equals("lla")) {
            return "allah";
        }
        return name;
    }

    static boolean containsArabic(String text)
    {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= '\u0600' && c <= '\u06FF' || c >= '\u0750' && c <= '\u077F' || c >= '\uFB50' && c <= '\uFEFF') {
                return true;
            }
        }
        return false;
    }

    private String arabicToLatin(String name)
    {
        StringBuilder result = new StringBuilder();
        for (String word : name.split("\\s+")) {
            if (word.isEmpty()) {
                continue;
            }
            if (!result.isEmpty()) {
                result.append(' ');
            }
            result.append(containsArabic(word) ? arabicWord(normalizeArabic(word)) : word);
        }
        return result.toString();
    }

    private String arabicWord(String word)
    {
        String known = clusters.latin(word);
        if (known != null) {
            return known;
        }
        if (word.startsWith("عبد") && word.length() > 3) {
            return "abd " + arabicWord(word.substring(3));
        }
        if (word.startsWith("ال") && word.length() > 3) {
            return "al " + arabicWord(word.substring(2));
        }
        if (word.startsWith("أبو") && word.length() > 3) {
            return "abu " + arabicWord(word.substring(3));
        }
        return ARABIC_TO_LATIN.get().transliterate(word);
    }

    /** Removes harakat and tatweel, which the alignment data never writes. */
    private static String normalizeArabic(String word)
    {
        StringBuilder result = new StringBuilder(word.length());
        for (int i = 0; i < word.length(); i++) {
            char c = word.charAt(i);
            if (c >= '\u064B' && c <= '\u065F' || c == '\u0640' || c == '\u0670') {
                continue;
            }
            result.append(c);
        }
        return result.toString();
    }

    /** Lower-case ASCII letters and digits separated by single spaces; apostrophes and ayn/hamza marks vanish. */
    static String foldLatin(String text)
    {
        if (isPlainAscii(text)) {
            // Most names (and every spelling of the Wikidata clusters) are plain ASCII words: the
            // general path below would give the same result after decomposing and copying them.
            return text.toLowerCase(Locale.ROOT);
        }
        String latin = text;
        if (!isLatinRange(latin)) {
            latin = ANY_TO_LATIN.get().transliterate(latin);
        }
        String decomposed = Normalizer.normalize(latin, Normalizer.Form.NFKD).toLowerCase(Locale.ROOT);
        StringBuilder result = new StringBuilder(decomposed.length());
        boolean space = true;
        for (int i = 0; i < decomposed.length(); i++) {
            char c = decomposed.charAt(i);
            if (c >= 'a' && c <= 'z' || c >= '0' && c <= '9') {
                result.append(c);
                space = false;
                continue;
            }
            String replacement = switch (c) {
                case 'ß' -> "ss";
                case 'æ' -> "ae";
                case 'œ' -> "oe";
                case 'ø' -> "o";
                case 'ł' -> "l";
                case 'đ', 'ð' -> "d";
                case 'ı' -> "i";
                case 'þ' -> "th";
                // Apostrophes and the ayn/hamza signs join the letters around them (Al-'Adil, Ma'mun).
                case '\'', '\u2019', '\u2018', '`', '\u00b4', '\u02bf', '\u02be', '\u02bc', '\u02bb' -> "";
                default -> null;
            };
            if (replacement != null) {
                result.append(replacement);
                space = replacement.isEmpty() && space;
            }
            else if (Character.getType(c) == Character.NON_SPACING_MARK) {
                continue;
            }
            else if (!space) {
                result.append(' ');
                space = true;
            }
        }
        int end = result.length();
        while (end > 0 && result.charAt(end - 1) == ' ') {
            end--;
        }
        return result.substring(0, end);
    }

    /** ASCII letters and digits in words separated by single spaces, with no space at either end. */
    private static boolean isPlainAscii(String text)
    {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
                continue;
            }
            if (c != ' ' || i == 0 || i == text.length() - 1 || text.charAt(i - 1) == ' ') {
                return false;
            }
        }
        return true;
    }

    static boolean isLatinRange(String text)
    {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= '\u0250' && !(c >= '\u2000' && c <= '\u206F') && !(c >= '\u02B0' && c <= '\u02FF') && !(c >= '\u0300' && c <= '\u036F')) {
                return false;
            }
        }
        return true;
    }

    /**
     * The skeleton with voiced and unvoiced consonants folded together (g/k, d/t, z/s), for
     * transliterations that disagree on voicing: Saqar/Sagar, Tongbang/Dongbang.
     */
    static String looseSkeleton(String token)
    {
        String skeleton = skeleton(token);
        StringBuilder key = new StringBuilder(skeleton.length());
        for (int i = 0; i < skeleton.length(); i++) {
            char c = switch (skeleton.charAt(i)) {
                case 'g' -> 'k';
                case 'd' -> 't';
                case 'z' -> 's';
                default -> skeleton.charAt(i);
            };
            if (key.isEmpty() || key.charAt(key.length() - 1) != c) {
                key.append(c);
            }
        }
        return key.toString();
    }

    /**
     * A phonetic key for Latin spellings of Arabic (and other) names: digraphs folded (kh→k, sh→s,
     * ph→f, ou→u, q→k), doubled letters collapsed, inner vowels dropped, a leading vowel written
     * "a". Mohammed, Muhammad and Mohamed share mhmd; Qaida, Qaeda and Kaida share kd.
     */
    static String skeleton(String token)
    {
        StringBuilder folded = new StringBuilder(token.length());
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            char next = i + 1 < token.length() ? token.charAt(i + 1) : 0;
            switch (c) {
                case 'p' -> {
                    if (next == 'h') {
                        folded.append('f');
                        i++;
                    }
                    else {
                        folded.append('b');
                    }
                }
                case 'k', 'g', 's', 't', 'd' -> {
                    if (next == 'h') {
                        i++;
                    }
                    folded.append(c);
                }
                case 'c' -> {
                    if (next == 'h') {
                        folded.append('s');
                        i++;
                    }
                    else if (next == 'k') {
                        folded.append('k');
                        i++;
                    }
                    else {
                        folded.append(next == 'e' || next == 'i' || next == 'y' ? 's' : 'k');
                    }
                }
                case 'q' -> folded.append('k');
                case 'x' -> folded.append("ks");
                case 'v' -> folded.append('f');
                case 'j' -> {
                    if (i > 0 && token.charAt(i - 1) == 'd') {
                        folded.setLength(folded.length() - 1);
                    }
                    folded.append('j');
                }
                case 'w', 'y' -> folded.append('u');
                default -> folded.append(c);
            }
        }
        StringBuilder key = new StringBuilder(folded.length());
        for (int i = 0; i < folded.length(); i++) {
            char c = folded.charAt(i);
            boolean vowel = "aeiou".indexOf(c) >= 0;
            if (i == 0) {
                key.append(vowel ? 'a' : c);
                continue;
            }
            if (vowel) {
                continue;
            }
            if (c == 'h' && i == folded.length() - 1) {
                // Final h after a vowel is silent: Fatimah/Fatima, Abdullah/Abdulla.
                continue;
            }
            if (folded.charAt(i - 1) != c) {
                key.append(c);
            }
        }
        return key.toString();
    }
}
