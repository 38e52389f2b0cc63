package dev.cohort.core.internal.quality;

import java.lang.Character.UnicodeScript;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A language the {@code language_mismatch} check knows: the scripts its letters are written in and,
 * for the languages written in Latin letters, a profile of its most frequent function words (a turn
 * in Spanish is full of "que", "de", "los"; one in English of "the", "and", "of"). Looked up by the
 * batch's free-text {@code language}: English, Spanish, French, German, Italian, Portuguese and
 * Dutch by stop words, Russian, Ukrainian, Greek, Arabic, Hebrew, Hindi, Chinese, Japanese, Korean
 * and Thai by script, each by its English name, its own name or its ISO 639-1 code.
 *
 * @param name the language's English name
 * @param scripts the scripts its letters are written in
 * @param stopWords its most frequent function words, lower case; empty for a language told by script
 */
record LanguageProfile(String name, Set<UnicodeScript> scripts, Set<String> stopWords) {
  private static final Set<UnicodeScript> LATIN = Set.of(UnicodeScript.LATIN);

  /** The languages written in Latin letters, told apart by their stop words. */
  static final List<LanguageProfile> LATIN_PROFILES = List.of(
      latin("English", "the and of to is in that it we you this for are with not be have on our they but what was will"
          + " would can should about there their my me do just think people"),
      latin("Spanish", "el la los las que de y en es un una por para con no se lo del al pero más como su sus nosotros"
          + " yo está son muy también hay esto eso creo porque"),
      latin("French", "le la les des et est que un une pour dans pas nous vous je il elle ce cette qui sur avec mais"
          + " sont du au aux ne plus très aussi être c'est j'ai"),
      latin("German", "der die das und ist nicht ich wir sie es ein eine zu mit auf für den dem des von auch aber wie"
          + " sind wenn dass noch sehr hier haben werden uns unsere"),
      latin("Italian", "il lo la gli le che e è di un una per con non sono ma anche della del nel questo questa come più"
          + " noi io molto perché ci hanno essere"),
      latin("Portuguese", "o a os as que de e é um uma para com não se do da dos das no na mas mais como nós eu muito"
          + " também isso isto está são porque você"),
      latin("Dutch", "de het een en is van dat niet ik wij we zijn op te met voor maar ook dit die er naar hebben"
          + " wordt kunnen onze heel omdat nog"));

  private static final Map<String, LanguageProfile> BY_NAME = byName(
      alias(LATIN_PROFILES.get(0), "english", "en"),
      alias(LATIN_PROFILES.get(1), "spanish", "español", "espanol", "castellano", "es"),
      alias(LATIN_PROFILES.get(2), "french", "français", "francais", "fr"),
      alias(LATIN_PROFILES.get(3), "german", "deutsch", "de"),
      alias(LATIN_PROFILES.get(4), "italian", "italiano", "it"),
      alias(LATIN_PROFILES.get(5), "portuguese", "português", "portugues", "pt"),
      alias(LATIN_PROFILES.get(6), "dutch", "nederlands", "nl"),
      alias(script("Russian", UnicodeScript.CYRILLIC), "russian", "русский", "ru"),
      alias(script("Ukrainian", UnicodeScript.CYRILLIC), "ukrainian", "українська", "uk"),
      alias(script("Greek", UnicodeScript.GREEK), "greek", "ελληνικά", "el"),
      alias(script("Arabic", UnicodeScript.ARABIC), "arabic", "العربية", "ar"),
      alias(script("Hebrew", UnicodeScript.HEBREW), "hebrew", "עברית", "he"),
      alias(script("Hindi", UnicodeScript.DEVANAGARI), "hindi", "हिन्दी", "हिंदी", "hi"),
      alias(script("Chinese", UnicodeScript.HAN), "chinese", "mandarin", "中文", "汉语", "zh"),
      alias(script("Japanese", UnicodeScript.HAN, UnicodeScript.HIRAGANA, UnicodeScript.KATAKANA),
          "japanese", "日本語", "ja"),
      alias(script("Korean", UnicodeScript.HANGUL, UnicodeScript.HAN), "korean", "한국어", "ko"),
      alias(script("Thai", UnicodeScript.THAI), "thai", "ไทย", "th"));

  LanguageProfile {
    scripts = Set.copyOf(scripts);
    stopWords = Set.copyOf(stopWords);
  }

  /**
   * The profile of the batch's {@code language}: matched ignoring case and a region or variety in
   * parentheses or after a hyphen ("English (UK)", "pt-BR"); empty for a language this check does
   * not know, whose batches are never flagged.
   */
  static Optional<LanguageProfile> forLanguage(String language) {
    String key = language.strip().toLowerCase(Locale.ROOT);
    int cut = key.length();
    for (char c : new char[] {'(', '-', '_', ','}) {
      int at = key.indexOf(c);
      if (at > 0) {
        cut = Math.min(cut, at);
      }
    }
    key = key.substring(0, cut).strip();
    if (key.startsWith("british ") || key.startsWith("american ")) {
      key = key.substring(key.indexOf(' ') + 1);
    }
    return Optional.ofNullable(BY_NAME.get(key));
  }

  /** Whether this language is told apart from others of its script by its stop words. */
  boolean hasStopWords() {
    return !stopWords.isEmpty();
  }

  private static LanguageProfile latin(String name, String words) {
    return new LanguageProfile(name, LATIN, Set.of(words.split(" ")));
  }

  private static LanguageProfile script(String name, UnicodeScript... scripts) {
    return new LanguageProfile(name, Set.of(scripts), Set.of());
  }

  /** Each of a language's names, lower case, with its profile. */
  private record Alias(LanguageProfile profile, List<String> names) {}

  private static Alias alias(LanguageProfile profile, String... names) {
    return new Alias(profile, List.of(names));
  }

  private static Map<String, LanguageProfile> byName(Alias... aliases) {
    Map<String, LanguageProfile> map = new HashMap<>();
    for (Alias a : aliases) {
      for (String n : a.names()) {
        map.put(n, a.profile());
      }
    }
    return Map.copyOf(map);
  }
}
