package dev.cohort.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cohort.core.Cohort;
import dev.cohort.core.batch.ModelAssignment;
import dev.cohort.inmemory.InMemoryRepository;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The HTML report: its sections, and that no text a user or a model wrote becomes markup. */
class ReportTest {
  /** Every element the report writes; anything else in the output came from escaped-too-little text. */
  private static final Set<String> ELEMENTS = Set.of("html", "head", "meta", "title", "style", "body", "main", "nav",
      "a", "h1", "h2", "h3", "p", "table", "tr", "th", "td", "span", "div", "article", "pre", "svg", "rect", "text",
      "line", "circle");
  private static final String HOSTILE = "<script>alert(1)</script></textarea>\"'><a href=\"javascript:alert(2)\">x</a>"
      + "<img src=x onerror=alert(3)>";

  static String report(String batchId, boolean hostile) {
    InMemoryRepository repository = InMemoryRepository.create();
    if (hostile) {
      ReferenceBatch.store(repository, batchId, id -> id + HOSTILE, "Context " + HOSTILE,
          (seq, speaker) -> "Turn " + seq + " " + HOSTILE + " javascript:alert(4)");
    } else {
      ReferenceBatch.store(repository, batchId);
    }
    try (Cohort cohort = Cohort.builder().repository(repository).build()) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      CohortAnalysis.report(cohort, batchId, out);
      return out.toString(StandardCharsets.UTF_8);
    }
  }

  /** The report of the crossed {@link ModelsReferenceBatch}, its model names hostile when asked. */
  static String modelsReport(String batchId, boolean hostile) {
    InMemoryRepository repository = InMemoryRepository.create();
    ModelsReferenceBatch.store(repository, batchId, ModelAssignment.CROSSED, hostile
        ? ModelsReferenceBatch.MODELS.stream().map(m -> m + HOSTILE).toList() : ModelsReferenceBatch.MODELS);
    try (Cohort cohort = Cohort.builder().repository(repository).build()) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      CohortAnalysis.report(cohort, batchId, out);
      return out.toString(StandardCharsets.UTF_8);
    }
  }

  @Test
  void aBatchOnSeveralModelsHasAModelsSectionWithPairedDifferences() {
    String html = modelsReport("models", false);
    assertThat(html).contains("<a href=\"#models\">Models</a>").contains("<h2 id=\"models\">Models</h2>")
        .contains("<h3>tone by model</h3>").contains("crossed: every group and replicate ran on every model")
        .contains("Differences between models on tone")
        // mini − llama on tone: 11 pairs, −0.937 [−1.776, −0.099], p 0.032, Holm 0.064 (SciPy, ModelComparisonReferenceTest)
        .contains("<tr><td>mini</td><td>llama</td><td>paired t</td><td class=\"n\">11</td><td class=\"n\">11</td>"
            + "<td class=\"n\">-0.937</td><td class=\"n\">[-1.776, -0.099]</td><td class=\"n\">0.032</td>"
            + "<td class=\"n\">0.064</td></tr>")
        .contains("tone: entity effects within llama").contains("verdict: answers on claude");
    assertThat(report("single", false)).doesNotContain("id=\"models\"");
  }

  @Test
  void noModelNameBecomesMarkup() {
    String html = modelsReport("hostile-models", true);
    assertThat(html).contains("<td>mini&lt;script&gt;alert(1)&lt;/script&gt;");
    assertThat(html.toLowerCase(Locale.ROOT)).doesNotContain("<script").doesNotContain("<img");
    Matcher tags = Pattern.compile("<[^>]*>").matcher(html);
    while (tags.find()) {
      assertThat(tags.group().toLowerCase(Locale.ROOT)).doesNotContainPattern("\\son[a-z]+\\s*=")
          .doesNotContain("javascript:");
    }
  }

  @Test
  void reportHasEverySectionTheIssueLists() {
    String html = report("ref", false);
    assertThat(html).startsWith("<!DOCTYPE html>").endsWith("</html>\n");
    for (String section : new String[] {"id=\"summary\"", "id=\"coverage\"", "id=\"outcomes\"", "id=\"effects\"",
        "id=\"composition\"", "id=\"flags\"", "id=\"transcripts\"", "id=\"request\""}) {
      assertThat(html).contains(section);
    }
    assertThat(html).contains("Pair co-occurrence").contains("Appearances per entity")
        .contains("Entity effects on tone").contains("tone by members with party = A")
        // the two flagged simulations are linked from the flags table and shown among the transcripts
        .contains("<a href=\"#sim-4\">#4</a> <a href=\"#sim-17\">#17</a>").contains("<article id=\"sim-17\">")
        .contains("2 flagged excluded").contains("&quot;interaction_size&quot; : 2");
  }

  @Test
  void noUserOrModelTextBecomesMarkup() {
    String html = report("hostile", true);
    assertThat(html).contains("&lt;script&gt;alert(1)&lt;/script&gt;&lt;/textarea&gt;&quot;&#39;&gt;")
        .contains("Context &lt;script&gt;").contains("Turn 3 &lt;script&gt;");
    String lower = html.toLowerCase(Locale.ROOT);
    assertThat(lower).doesNotContain("<script").doesNotContain("</textarea").doesNotContain("<img")
        .doesNotContain("url(").doesNotContain("@import").doesNotContain("http://")
        .doesNotContain("https://");
    Set<String> elements = new LinkedHashSet<>();
    Matcher tag = Pattern.compile("<\\s*/?\\s*([a-zA-Z][a-zA-Z0-9-]*)").matcher(html);
    while (tag.find()) {
      elements.add(tag.group(1).toLowerCase(Locale.ROOT));
    }
    assertThat(ELEMENTS).containsAll(elements);
    // Event handlers, sources and script URLs appear only inside escaped text, never inside a tag.
    Matcher tags = Pattern.compile("<[^>]*>").matcher(html);
    while (tags.find()) {
      String t = tags.group().toLowerCase(Locale.ROOT);
      assertThat(t).doesNotContainPattern("\\son[a-z]+\\s*=").doesNotContain("src=").doesNotContain("javascript:");
    }
    Matcher href = Pattern.compile("href=\"([^\"]*)\"").matcher(html);
    int links = 0;
    while (href.find()) {
      links++;
      assertThat(href.group(1)).matches("#[a-z0-9-]+");
    }
    assertThat(links).isGreaterThan(5);
  }
}
