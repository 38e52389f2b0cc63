package dev.cohort.core.internal.quality;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Derives from a case-insensitive phrase pattern the literals one of which occurs in every text the
 * pattern finds a match in (case-folded as {@link CaseFold} folds), so a text that contains none of
 * them can be ruled out without running the regex. The literals come from the pattern itself (its
 * fixed words, alternations and optional parts), not from a second hand-kept list, so they cannot
 * drift apart.
 *
 * <p>It understands the syntax the phrase patterns use: literal characters, escaped punctuation,
 * {@code \b}/{@code \B}, {@code ^}/{@code $}, groups ({@code (…)}, {@code (?:…)}), alternation and the
 * quantifiers {@code ?}, {@code *} and {@code +}. A pattern with anything else (a character class,
 * {@code .}, {@code \w}, a counted repeat, a flag group, a look-around) yields no literals: it is
 * always run, which is slower but never wrong.
 *
 * <p>The analysis, per part of the pattern: the set of exact strings it matches, while there are at
 * most {@value #MAX_EXACT}; otherwise a set of literals one of which every match contains. A
 * sequence joins consecutive exact parts into runs (cross products) while they stay small, and
 * needs what its most selective run or part needs (longest shortest literal); an alternation
 * unites its branches' requirements; an optional part requires nothing.
 */
final class NecessaryLiterals {
  /** Largest exact set kept before it becomes a requirement (cross products grow fast). */
  static final int MAX_EXACT = 64;

  /** What one part of a pattern can match: exact strings (null when too many) or required literals. */
  private record Info(@Nullable Set<String> exact, @Nullable Set<String> required) {
    static final Info ANYTHING = new Info(null, null);

    static Info exactly(Set<String> strings) {
      return new Info(strings, strings.contains("") ? null : strings);
    }
  }

  private static final class Unsupported extends Exception {
    private static final long serialVersionUID = 1L;

    Unsupported() {
      super(null, null, false, false);
    }
  }

  private final String regex;
  private int at;

  private NecessaryLiterals(String regex) {
    this.regex = regex;
  }

  /**
   * Folded literals one of which every match of {@code regex} (compiled case-insensitive with
   * Unicode case) contains, with none a superstring of another; empty when none can be derived.
   */
  static List<String> of(String regex) {
    NecessaryLiterals parser = new NecessaryLiterals(regex);
    try {
      Info info = parser.alternation();
      if (parser.at != regex.length()) {
        return List.of(); // an unbalanced ')': let the regex itself be the judge
      }
      return info.required() == null ? List.of() : minimal(info.required());
    } catch (Unsupported e) {
      return List.of();
    }
  }

  /** Drops every literal that contains another: containing the shorter one is already enough. */
  private static List<String> minimal(Set<String> literals) {
    List<String> sorted = new ArrayList<>(literals);
    sorted.sort(Comparator.comparingInt(String::length));
    List<String> kept = new ArrayList<>();
    for (String s : sorted) {
      if (kept.stream().noneMatch(s::contains)) {
        kept.add(s);
      }
    }
    return List.copyOf(kept);
  }

  private Info alternation() throws Unsupported {
    Info info = sequence();
    while (at < regex.length() && regex.charAt(at) == '|') {
      at++;
      info = either(info, sequence());
    }
    return info;
  }

  private Info sequence() throws Unsupported {
    // Consecutive exact parts join into one run while their cross product stays small (so the
    // characters of "character" become one literal even after an alternation too large to keep);
    // a sequence that is not exact needs what its most selective run or part needs.
    Set<String> run = Set.of("");
    boolean exact = true;
    @Nullable Set<String> best = null;
    while (at < regex.length() && regex.charAt(at) != '|' && regex.charAt(at) != ')') {
      Info part = repeated();
      Set<String> partExact = part.exact();
      if (partExact != null && (long) run.size() * partExact.size() <= MAX_EXACT) {
        run = product(run, partExact);
        continue;
      }
      exact = false;
      best = moreSelective(best, Info.exactly(run).required());
      if (partExact != null) {
        run = partExact;
      } else {
        best = moreSelective(best, part.required());
        run = Set.of("");
      }
    }
    return exact ? Info.exactly(run) : new Info(null, moreSelective(best, Info.exactly(run).required()));
  }

  private static Set<String> product(Set<String> a, Set<String> b) {
    Set<String> product = new LinkedHashSet<>();
    for (String x : a) {
      for (String y : b) {
        product.add(x + y);
      }
    }
    return product;
  }

  private Info repeated() throws Unsupported {
    Info atom = atom();
    if (at >= regex.length()) {
      return atom;
    }
    char c = regex.charAt(at);
    Info info;
    if (c == '?' || c == '*') {
      at++;
      @Nullable Set<String> withEmpty = null;
      if (c == '?' && atom.exact() != null) {
        withEmpty = new LinkedHashSet<>(atom.exact());
        withEmpty.add("");
      }
      info = withEmpty == null ? Info.ANYTHING : Info.exactly(withEmpty);
    } else if (c == '+') {
      at++;
      // One or more: every match contains one copy, so it needs what the part needs.
      info = new Info(null, atom.required());
    } else if (c == '{') {
      throw new Unsupported();
    } else {
      return atom;
    }
    if (at < regex.length() && (regex.charAt(at) == '?' || regex.charAt(at) == '+')) {
      at++; // lazy or possessive: the same strings match
    }
    return info;
  }

  private Info atom() throws Unsupported {
    char c = regex.charAt(at++);
    switch (c) {
      case '(' -> {
        if (regex.startsWith("?:", at)) {
          at += 2;
        } else if (at < regex.length() && regex.charAt(at) == '?') {
          throw new Unsupported(); // flags, look-around, named or atomic groups
        }
        Info inside = alternation();
        if (at >= regex.length() || regex.charAt(at) != ')') {
          throw new Unsupported();
        }
        at++;
        return inside;
      }
      case '\\' -> {
        if (at >= regex.length()) {
          throw new Unsupported();
        }
        char escaped = regex.charAt(at++);
        if (escaped == 'b' || escaped == 'B') {
          return Info.exactly(Set.of(""));
        }
        if (escaped < 128 && !Character.isLetterOrDigit(escaped)) {
          return Info.exactly(Set.of(String.valueOf(CaseFold.fold(escaped))));
        }
        throw new Unsupported();
      }
      case '^', '$' -> {
        return Info.exactly(Set.of(""));
      }
      case '.', '[', ']', '{', '}', '*', '+', '?', '|', ')' -> throw new Unsupported();
      default -> {
        if (Character.isSurrogate(c)) {
          throw new Unsupported(); // not in any phrase pattern; not worth folding code points for
        }
        return Info.exactly(Set.of(String.valueOf(CaseFold.fold(c))));
      }
    }
  }

  private static Info either(Info a, Info b) {
    if (a.exact() != null && b.exact() != null) {
      Set<String> exact = new LinkedHashSet<>(a.exact());
      exact.addAll(b.exact());
      if (exact.size() <= MAX_EXACT) {
        return Info.exactly(exact);
      }
    }
    if (a.required() == null || b.required() == null) {
      return Info.ANYTHING;
    }
    Set<String> required = new LinkedHashSet<>(a.required());
    required.addAll(b.required());
    return new Info(null, required);
  }

  /** Of two requirements, the one whose shortest literal is longest (then: fewer literals). */
  private static @Nullable Set<String> moreSelective(@Nullable Set<String> a, @Nullable Set<String> b) {
    if (a == null) {
      return b;
    }
    if (b == null) {
      return a;
    }
    int shortestA = a.stream().mapToInt(String::length).min().orElse(0);
    int shortestB = b.stream().mapToInt(String::length).min().orElse(0);
    if (shortestA != shortestB) {
      return shortestA > shortestB ? a : b;
    }
    return a.size() <= b.size() ? a : b;
  }
}
