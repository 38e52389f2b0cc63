package dev.cohort.analysis;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cohort.analysis.Analysis;
import dev.cohort.analysis.Analysis.CompositionEffect;
import dev.cohort.analysis.Analysis.EntityEffect;
import dev.cohort.analysis.Analysis.EntitySummary;
import dev.cohort.analysis.Analysis.AttributeSummary;
import dev.cohort.analysis.Analysis.Frequency;
import dev.cohort.analysis.Analysis.Icc;
import dev.cohort.analysis.Analysis.MemberCount;
import dev.cohort.analysis.Analysis.NamingRate;
import dev.cohort.analysis.Analysis.OutcomeAnalysis;
import dev.cohort.analysis.Analysis.Summary;
import dev.cohort.analysis.SvgCharts.Row;
import dev.cohort.core.batch.Batch;
import dev.cohort.core.batch.BatchCounts;
import dev.cohort.core.batch.DeclaredOutcome;
import dev.cohort.core.batch.Entity;
import dev.cohort.core.batch.QualityFlag;
import dev.cohort.core.batch.Simulation;
import dev.cohort.core.batch.Turn;
import dev.cohort.core.internal.codec.BatchRequestJson;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Writes a batch's report: one self-contained HTML page with inline CSS and inline SVG charts, no
 * script and no external resource (its own Content-Security-Policy says so). Sections: summary,
 * design and coverage, outcomes, entity effects, composition effects, flags, transcripts, the
 * stored request. Every text that a user or a model wrote passes through {@link HtmlText#escape};
 * the only links are anchors to the page's own transcripts, built from sequence numbers.
 */
final class HtmlReport {
  /** The policy of the page: nothing from anywhere but its own inline styles and data images. */
  static final String CONTENT_SECURITY_POLICY = CohortAnalysis.REPORT_CONTENT_SECURITY_POLICY;

  /** Largest pool drawn as a pair heatmap; larger pools get a histogram of pair counts. */
  static final int MAX_HEATMAP_POOL = 60;
  /** Largest pool drawn one bar per entity; larger pools get a histogram of appearances. */
  static final int MAX_BAR_POOL = 200;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CSS = """
      body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d232b;margin:0;background:#f6f7f9}
      main{max-width:1100px;margin:0 auto;padding:24px 32px 64px;background:#fff}
      h1{font-size:26px;margin:0 0 4px}h2{font-size:20px;margin:36px 0 10px;border-bottom:2px solid #dfe3e8;padding-bottom:4px}
      h3{font-size:16px;margin:22px 0 6px}nav a{margin-right:12px}
      table{border-collapse:collapse;margin:8px 0 14px;font-variant-numeric:tabular-nums}
      th,td{border-bottom:1px solid #e5e8ec;padding:3px 10px 3px 0;text-align:left;vertical-align:top}
      td.n{text-align:right}th{font-weight:600;color:#48525e}
      .muted{color:#6a7480}.pre{white-space:pre-wrap;overflow-wrap:anywhere}
      pre{background:#f3f5f7;padding:10px;overflow:auto;white-space:pre-wrap;overflow-wrap:anywhere}
      svg.chart{display:block;margin:6px 0 14px;font-size:11px;fill:#2b3440}
      svg .bar{fill:#5b8def}svg .ci{stroke:#2b3440;stroke-width:1.5}svg .point{fill:#d9534f}
      svg .ref{stroke:#9aa4ae;stroke-dasharray:3 3}svg .tick{fill:#6a7480;font-size:10px}
      article{border:1px solid #e1e5ea;border-radius:6px;padding:10px 14px;margin:12px 0}
      .turn{margin:6px 0}.speaker{font-weight:600}.thought{font-style:italic;color:#6a7480}
      .flag{display:inline-block;background:#fde8e7;color:#a12a25;border-radius:4px;padding:0 6px;margin-right:4px;font-size:12px}
      """;

  private final Batch batch;
  private final Analysis analysis;
  private final ReportSamples samples;
  private final Writer out;
  private final Map<String, String> names = new HashMap<>();

  private HtmlReport(Batch batch, Analysis analysis, ReportSamples samples, Writer out) {
    this.batch = batch;
    this.analysis = analysis;
    this.samples = samples;
    this.out = out;
    batch.entities().forEach(e -> names.put(e.id(), e.name()));
  }

  /**
   * Writes the report of {@code batch} to {@code out} as UTF-8; flushes, does not close.
   *
   * @throws UncheckedIOException when writing fails
   */
  static void write(Batch batch, Analysis analysis, ReportSamples samples, OutputStream out) {
    try {
      Writer writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
      new HtmlReport(batch, analysis, samples, writer).write();
      writer.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the report of batch " + batch.id() + ": " + e.getMessage(), e);
    }
  }

  private void write() throws IOException {
    raw("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">");
    raw("<meta http-equiv=\"Content-Security-Policy\" content=\"" + CONTENT_SECURITY_POLICY + "\">");
    raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
    raw("<title>" + esc("Cohort report: " + batch.name()) + "</title><style>" + CSS + "</style></head><body><main>\n");
    summary();
    coverage();
    outcomes();
    entityEffects();
    if (ModelComparisonHtml.applies(analysis)) {
      raw(ModelComparisonHtml.section(analysis));
    }
    composition();
    flags();
    transcripts();
    request();
    raw("</main></body></html>\n");
  }

  private void summary() throws IOException {
    raw("<h1>" + esc(batch.name()) + "</h1>");
    raw("<nav class=\"muted\"><a href=\"#coverage\">Design</a><a href=\"#outcomes\">Outcomes</a>"
        + "<a href=\"#effects\">Entity effects</a>"
        + (ModelComparisonHtml.applies(analysis) ? "<a href=\"#models\">Models</a>" : "")
        + "<a href=\"#composition\">Composition</a><a href=\"#flags\">Flags</a>"
        + "<a href=\"#transcripts\">Transcripts</a><a href=\"#request\">Request</a></nav>\n");
    String description = batch.description();
    if (description != null && !description.isBlank()) {
      raw("<p>" + esc(description) + "</p>");
    }
    raw("<h2 id=\"summary\">Summary</h2><h3>Context</h3><p class=\"pre\">" + esc(batch.context()) + "</p><table>");
    BatchCounts c = batch.counts();
    row("Batch id", esc(batch.id()));
    row("Status", esc(batch.status().wireName()));
    row("Simulations", c.total() + " planned of " + batch.requestedSimulations() + " requested: " + c.completed()
        + " completed, " + c.failed() + " failed, " + c.cancelled() + " cancelled, " + c.unfinished() + " unfinished");
    row("Design", batch.request().entityIds().size() + " entities, groups of " + batch.request().interactionSize()
        + ", " + batch.request().replicates() + " replicate(s), " + batch.request().nTurns() + " turns × "
        + batch.request().simulationRounds() + " round(s), seed " + batch.seed());
    row("Created", esc(batch.createdAt().toString()));
    row("Started", batch.startedAt() == null ? "–" : esc(String.valueOf(batch.startedAt())));
    row("Finished", batch.finishedAt() == null ? "–" : esc(String.valueOf(batch.finishedAt()))
        + duration(batch.startedAt(), batch.finishedAt()));
    String model = batch.request().llm().model();
    row("Model", model == null ? "the store's default" : esc(model));
    row("Tokens", batch.usage().promptTokens() + " prompt (" + batch.usage().cachedTokens() + " cached), "
        + batch.usage().completionTokens() + " completion, " + batch.usage().calls() + " calls");
    row("Cost", batch.costUsd() == null ? "unknown" : String.format(Locale.ROOT, "$%.4f", batch.costUsd()));
    row("Flags", batch.flagCounts().isEmpty() ? "none" : batch.flagCounts().entrySet().stream()
        .map(e -> e.getKey().wireName() + " " + e.getValue()).collect(Collectors.joining(", ")));
    row("Analysed", analysis.analysed() + " completed simulations" + (analysis.flaggedIncluded()
        ? ", flagged ones included" : "; " + analysis.excludedFlagged() + " flagged excluded"));
    String error = batch.error();
    if (error != null) {
      row("Error", esc(error));
    }
    raw("</table>\n");
  }

  private static String duration(@Nullable Instant start, @Nullable Instant end) {
    if (start == null || end == null) {
      return "";
    }
    Duration d = Duration.between(start, end);
    return String.format(Locale.ROOT, " (%d min %d s)", d.toMinutes(), d.toSecondsPart());
  }

  private void coverage() throws IOException {
    raw("<h2 id=\"coverage\">Design and coverage</h2>");
    List<Entity> pool = batch.entities();
    long[] appearances = samples.appearances();
    if (pool.size() <= MAX_BAR_POOL) {
      List<Row> rows = new ArrayList<>();
      for (int i = 0; i < pool.size(); i++) {
        rows.add(Row.bar(pool.get(i).name(), appearances[i]));
      }
      raw("<h3>Appearances per entity</h3>" + SvgCharts.bars("Appearances per entity", rows));
    } else {
      raw("<h3>Appearances per entity (histogram of " + pool.size() + " entities)</h3>"
          + SvgCharts.histogram("Appearances per entity", bins(appearances)));
    }
    long[][] matrix = pool.size() <= MAX_HEATMAP_POOL ? samples.pairMatrix() : null;
    if (matrix != null && pool.size() >= 2) {
      raw("<h3>Pair co-occurrence</h3>" + SvgCharts.heatmap("Pair co-occurrence",
          pool.stream().map(Entity::name).toList(), matrix));
    } else {
      int[] pairs = samples.pairCounts();
      if (pairs != null && pairs.length > 0) {
        long[] counts = new long[pairs.length];
        for (int i = 0; i < pairs.length; i++) {
          counts[i] = pairs[i];
        }
        raw("<h3>Pair co-occurrence (histogram of " + pairs.length + " pairs)</h3>"
            + SvgCharts.histogram("How often each pair met", bins(counts)));
      }
    }
  }

  /** Counts of each distinct value when there are few, else of 20 equal-width bins. */
  private static List<Row> bins(long[] values) {
    Map<Long, Long> exact = new java.util.TreeMap<>();
    for (long v : values) {
      exact.merge(v, 1L, Long::sum);
      if (exact.size() > 30) {
        break;
      }
    }
    List<Row> rows = new ArrayList<>();
    if (exact.size() <= 30) {
      exact.forEach((v, c) -> rows.add(Row.bar(Long.toString(v), c)));
      return rows;
    }
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    for (long v : values) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    int bins = 20;
    double width = (double) (max - min + 1) / bins;
    long[] counts = new long[bins];
    for (long v : values) {
      counts[(int) Math.min(bins - 1, (v - min) / width)]++;
    }
    for (int b = 0; b < bins; b++) {
      rows.add(Row.bar(String.format(Locale.ROOT, "%.0f–%.0f", min + b * width, min + (b + 1) * width - 1), counts[b]));
    }
    return rows;
  }

  private void outcomes() throws IOException {
    raw("<h2 id=\"outcomes\">Outcomes</h2>");
    if (analysis.outcomes().isEmpty()) {
      raw("<p class=\"muted\">The batch declares no outcome to analyse.</p>");
      return;
    }
    raw("<p class=\"muted\">95 % intervals: t for means, Wilson for proportions.</p>");
    for (OutcomeAnalysis o : analysis.outcomes()) {
      DeclaredOutcome declared = declared(o.name());
      raw("<h3 id=\"outcome-" + esc(o.name()) + "\">" + esc(o.name()) + " <span class=\"muted\">(" + o.type().wireName()
          + ", per " + o.per().wireName() + ")</span></h3>");
      if (declared != null) {
        raw("<p class=\"pre\">" + esc(declared.question()) + "</p>");
      }
      Summary s = o.summary();
      if (s != null) {
        raw("<table><tr><th>n</th><th>mean</th><th>sd</th><th>95 % CI</th></tr><tr>" + summaryCells(s) + "</tr></table>");
        distribution(o);
      }
      if (!o.frequencies().isEmpty()) {
        raw(SvgCharts.bars("Answers to " + o.name(), o.frequencies().stream()
            .map(f -> Row.bar(f.label(), f.count())).toList()));
        raw("<table><tr><th>answer</th><th>count</th><th>share</th></tr>");
        for (Frequency f : o.frequencies()) {
          raw("<tr><td>" + esc(f.label()) + "</td><td class=\"n\">" + f.count() + "</td><td class=\"n\">"
              + HtmlText.percent(f.share()) + "</td></tr>");
        }
        raw("</table>");
      }
      if (!o.namingRates().isEmpty()) {
        raw("<table><tr><th>entity</th><th>named</th><th>appearances</th><th>rate</th></tr>");
        for (NamingRate r : o.namingRates()) {
          raw("<tr><td>" + esc(r.entityName()) + "</td><td class=\"n\">" + r.named() + "</td><td class=\"n\">"
              + r.appearances() + "</td><td class=\"n\">" + HtmlText.percent(r.rate()) + "</td></tr>");
        }
        raw("</table>");
      }
      Icc icc = o.icc();
      if (icc != null) {
        raw("<p>Replicates: " + icc.groups() + " groups ran " + icc.observations() + " times in all; ICC "
            + HtmlText.number(icc.icc()) + " (F " + HtmlText.number(icc.f()) + ", p " + HtmlText.p(icc.p())
            + "): " + (icc.icc() >= 0.5 ? "the group drives the outcome more than the model's randomness."
            : "the model's randomness weighs as much as or more than the group.") + "</p>");
      }
    }
  }

  private void distribution(OutcomeAnalysis o) throws IOException {
    if (o.per() != DeclaredOutcome.Per.SIMULATION) {
      return;
    }
    Map<Double, Long> values = samples.distribution(o.name());
    if (values == null || values.isEmpty()) {
      return;
    }
    List<Row> rows = new ArrayList<>();
    // Whole numbers and booleans get a bar per value; measured numbers are binned unless they take few values.
    if (values.size() <= (o.type() == DeclaredOutcome.Type.NUMBER ? 12 : 30)) {
      values.forEach((v, c) -> rows.add(Row.bar(o.type() == DeclaredOutcome.Type.BOOLEAN ? (v == 1 ? "true" : "false")
          : HtmlText.number(v).replaceAll("\\.?0+$", ""), c)));
    } else {
      double min = values.keySet().stream().mapToDouble(Double::doubleValue).min().orElse(0);
      double max = values.keySet().stream().mapToDouble(Double::doubleValue).max().orElse(0);
      int bins = 12;
      double width = (max - min) / bins;
      long[] counts = new long[bins];
      values.forEach((v, c) -> counts[(int) Math.min(bins - 1, (v - min) / width)] += c);
      for (int b = 0; b < bins; b++) {
        rows.add(Row.bar(HtmlText.number(min + b * width), counts[b]));
      }
    }
    raw(SvgCharts.histogram("Distribution of " + o.name(), rows));
  }

  private void entityEffects() throws IOException {
    raw("<h2 id=\"effects\">Entity effects</h2>");
    boolean any = false;
    for (OutcomeAnalysis o : analysis.outcomes()) {
      if (!o.entityEffects().isEmpty()) {
        any = true;
        raw("<h3>" + esc(o.name()) + ": with the entity minus without it</h3>");
        raw(SvgCharts.forest("Entity effects on " + o.name(), o.entityEffects().stream()
            .map(e -> new Row(e.entityName(), e.difference(), e.ciLow(), e.ciHigh())).toList(), 0));
        raw("<table><tr><th>entity</th><th>with n</th><th>with mean</th><th>without n</th><th>without mean</th>"
            + "<th>difference</th><th>95 % CI (Welch)</th><th>p</th><th>p (Holm)</th></tr>");
        for (EntityEffect e : o.entityEffects()) {
          raw("<tr><td>" + esc(e.entityName()) + "</td><td class=\"n\">" + e.with().n() + "</td><td class=\"n\">"
              + HtmlText.number(e.with().mean()) + "</td><td class=\"n\">" + e.without().n() + "</td><td class=\"n\">"
              + HtmlText.number(e.without().mean()) + "</td><td class=\"n\">" + HtmlText.number(e.difference())
              + "</td><td class=\"n\">" + interval(e.ciLow(), e.ciHigh()) + "</td><td class=\"n\">" + HtmlText.p(e.p())
              + "</td><td class=\"n\">" + HtmlText.p(e.pHolm()) + "</td></tr>");
        }
        raw("</table>");
      }
      if (!o.byEntity().isEmpty()) {
        any = true;
        raw("<h3>" + esc(o.name()) + ": each participant's own value, by entity</h3>");
        raw(SvgCharts.forest(o.name() + " by entity", o.byEntity().stream()
            .map(e -> new Row(e.entityName(), e.summary().mean(), e.summary().ciLow(), e.summary().ciHigh())).toList(),
            o.summary() == null ? 0 : o.summary().mean()));
        raw("<table><tr><th>entity</th><th>n</th><th>mean</th><th>sd</th><th>95 % CI</th></tr>");
        for (EntitySummary e : o.byEntity()) {
          raw("<tr><td>" + esc(e.entityName()) + "</td>" + summaryCells(e.summary()) + "</tr>");
        }
        raw("</table>");
        if (!o.byAttribute().isEmpty()) {
          raw("<table><tr><th>attribute</th><th>value</th><th>n</th><th>mean</th><th>sd</th><th>95 % CI</th></tr>");
          for (AttributeSummary a : o.byAttribute()) {
            raw("<tr><td>" + esc(a.attribute()) + "</td><td>" + esc(a.value()) + "</td>" + summaryCells(a.summary())
                + "</tr>");
          }
          raw("</table>");
        }
      }
    }
    if (!any) {
      raw("<p class=\"muted\">No number or boolean outcome to estimate effects on.</p>");
    }
  }

  private void composition() throws IOException {
    raw("<h2 id=\"composition\">Composition effects</h2>");
    boolean any = false;
    for (OutcomeAnalysis o : analysis.outcomes()) {
      for (CompositionEffect c : o.composition()) {
        any = true;
        raw("<h3>" + esc(o.name()) + " by members with " + esc(c.attribute()) + " = " + esc(c.value()) + "</h3>");
        raw("<table><tr><th>members</th><th>n</th><th>mean</th><th>sd</th><th>95 % CI</th></tr>");
        for (MemberCount m : c.byMembers()) {
          raw("<tr><td class=\"n\">" + m.members() + "</td>" + summaryCells(m.summary()) + "</tr>");
        }
        raw("</table>");
      }
    }
    if (!any) {
      raw("<p class=\"muted\">No categorical attribute and simulation-level number or boolean outcome to compare.</p>");
    }
  }

  private void flags() throws IOException {
    raw("<h2 id=\"flags\">Flags</h2>");
    if (batch.flagCounts().isEmpty()) {
      raw("<p class=\"muted\">No simulation was flagged.</p>");
      return;
    }
    raw("<table><tr><th>flag</th><th>simulations</th><th>examples</th></tr>");
    for (Map.Entry<QualityFlag, Long> f : batch.flagCounts().entrySet()) {
      List<Integer> examples = samples.flagExamples().getOrDefault(f.getKey(), List.of());
      raw("<tr><td>" + f.getKey().wireName() + "</td><td class=\"n\">" + f.getValue() + "</td><td>"
          + examples.stream().map(n -> "<a href=\"#sim-" + n + "\">#" + n + "</a>").collect(Collectors.joining(" "))
          + "</td></tr>");
    }
    raw("</table>");
  }

  private void transcripts() throws IOException {
    raw("<h2 id=\"transcripts\">Transcripts</h2><p class=\"muted\">The first " + ReportSamples.FIRST_TRANSCRIPTS
        + " simulations and up to " + ReportSamples.EXAMPLES_PER_FLAG + " examples of each flag.</p>");
    Map<String, Entity> byId = new HashMap<>();
    batch.entities().forEach(e -> byId.put(e.id(), e));
    for (Simulation s : samples.transcripts()) {
      raw("<article id=\"sim-" + s.sequenceNumber() + "\"><h3>#" + s.sequenceNumber() + " <span class=\"muted\">"
          + esc(s.status().wireName()) + "</span> ");
      for (QualityFlag f : s.flags()) {
        raw("<span class=\"flag\">" + f.wireName() + "</span>");
      }
      raw("</h3><table><tr><th>participant</th><th>attributes</th></tr>");
      for (String id : s.entityIds()) {
        Entity e = byId.get(id);
        raw("<tr><td>" + esc(e == null ? id : e.name()) + "</td><td>" + (e == null ? "" : esc(attributes(e)))
            + "</td></tr>");
      }
      raw("</table>");
      if (!s.outcomes().isEmpty()) {
        raw("<p>Outcomes: " + esc(s.outcomes().entrySet().stream().map(o -> o.getKey() + " = " + o.getValue())
            .collect(Collectors.joining("; "))) + "</p>");
      }
      String error = s.error();
      if (error != null) {
        raw("<p>Error: " + esc(error) + "</p>");
      }
      for (Turn t : s.turns()) {
        raw("<div class=\"turn\"><span class=\"speaker\">" + esc(t.speakerName()) + ":</span> ");
        String thought = t.thought();
        if (thought != null && !thought.isBlank()) {
          raw("<span class=\"thought\">" + esc(thought) + "</span> ");
        }
        raw("<span class=\"pre\">" + esc(t.text()) + "</span></div>");
      }
      raw("</article>\n");
    }
  }

  private static String attributes(Entity e) {
    return e.attributes().entrySet().stream().map(a -> a.getKey() + ": " + a.getValue())
        .collect(Collectors.joining(", "));
  }

  private void request() throws IOException {
    raw("<h2 id=\"request\">Stored request</h2><pre>");
    String json = BatchRequestJson.write(batch.request());
    raw(esc(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(JSON.readTree(json))));
    raw("</pre>");
  }

  private @Nullable DeclaredOutcome declared(String name) {
    return batch.request().outcomes().stream().filter(o -> o.name().equals(name)).findFirst().orElse(null);
  }

  static String summaryCells(Summary s) {
    return "<td class=\"n\">" + s.n() + "</td><td class=\"n\">" + HtmlText.number(s.mean()) + "</td><td class=\"n\">"
        + HtmlText.number(s.sd()) + "</td><td class=\"n\">" + interval(s.ciLow(), s.ciHigh()) + "</td>";
  }

  static String interval(double low, double high) {
    return Double.isFinite(low) ? "[" + HtmlText.number(low) + ", " + HtmlText.number(high) + "]" : "–";
  }

  private void row(String name, String html) throws IOException {
    raw("<tr><th>" + name + "</th><td>" + html + "</td></tr>");
  }

  private static String esc(String text) {
    return HtmlText.escape(text);
  }

  private void raw(String html) throws IOException {
    out.write(html);
  }
}
