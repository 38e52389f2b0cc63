package dev.cohort.core.export;

/**
 * How an export is written. Immutable; start from {@link #defaults()} or {@link #builder()}.
 *
 * <ul>
 *   <li>{@linkplain #neutraliseFormulas() Formula neutralisation} (CSV only, on by default): a cell
 *       that starts with {@code =}, {@code +}, {@code -}, {@code @}, a tab or a carriage return
 *       gets a leading {@code '}, so a spreadsheet shows it as text instead of running it as a
 *       formula (the OWASP advice against CSV injection). Model output is untrusted text; turn this
 *       off only for pipelines that never open the file in a spreadsheet and need every cell exact.
 *   <li>{@linkplain #byteOrderMark() Byte order mark} (CSV only, off by default): starts the file
 *       with U+FEFF so Excel reads it as UTF-8. JSON and JSON Lines never get one (RFC 8259 forbids
 *       it).
 *   <li>{@linkplain #prettyPrint() Pretty printing} (JSON only, off by default): indents the JSON
 *       document. JSON Lines stay one object per line.
 * </ul>
 */
public final class ExportOptions {
  /** Whether formula-like CSV cells are neutralised unless told otherwise: yes. */
  public static final boolean DEFAULT_NEUTRALISE_FORMULAS = true;
  /** Whether CSV files start with a byte order mark unless told otherwise: no. */
  public static final boolean DEFAULT_BYTE_ORDER_MARK = false;
  /** Whether JSON documents are indented unless told otherwise: no. */
  public static final boolean DEFAULT_PRETTY_PRINT = false;

  private static final ExportOptions DEFAULTS = new Builder().build();

  private final boolean neutraliseFormulas;
  private final boolean byteOrderMark;
  private final boolean prettyPrint;

  private ExportOptions(Builder builder) {
    this.neutraliseFormulas = builder.neutraliseFormulas;
    this.byteOrderMark = builder.byteOrderMark;
    this.prettyPrint = builder.prettyPrint;
  }

  /** The defaults: formulas neutralised, no byte order mark, compact JSON. */
  public static ExportOptions defaults() {
    return DEFAULTS;
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding these options. */
  public Builder toBuilder() {
    return new Builder().neutraliseFormulas(neutraliseFormulas).byteOrderMark(byteOrderMark).prettyPrint(prettyPrint);
  }

  /** Whether CSV cells that a spreadsheet would run as a formula get a leading {@code '}. */
  public boolean neutraliseFormulas() {
    return neutraliseFormulas;
  }

  /** Whether CSV output starts with a UTF-8 byte order mark. */
  public boolean byteOrderMark() {
    return byteOrderMark;
  }

  /** Whether the JSON document is indented. */
  public boolean prettyPrint() {
    return prettyPrint;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ExportOptions other
        && neutraliseFormulas == other.neutraliseFormulas
        && byteOrderMark == other.byteOrderMark
        && prettyPrint == other.prettyPrint;
  }

  @Override
  public int hashCode() {
    return (neutraliseFormulas ? 1 : 0) | (byteOrderMark ? 2 : 0) | (prettyPrint ? 4 : 0);
  }

  @Override
  public String toString() {
    return "ExportOptions[neutraliseFormulas=" + neutraliseFormulas + ", byteOrderMark=" + byteOrderMark
        + ", prettyPrint=" + prettyPrint + "]";
  }

  /** Collects export options; every setting starts at its default. */
  public static final class Builder {
    private boolean neutraliseFormulas = DEFAULT_NEUTRALISE_FORMULAS;
    private boolean byteOrderMark = DEFAULT_BYTE_ORDER_MARK;
    private boolean prettyPrint = DEFAULT_PRETTY_PRINT;

    private Builder() {}

    /**
     * Whether CSV cells starting with {@code = + - @}, tab or carriage return get a leading {@code
     * '}; default {@value ExportOptions#DEFAULT_NEUTRALISE_FORMULAS}.
     */
    public Builder neutraliseFormulas(boolean neutraliseFormulas) {
      this.neutraliseFormulas = neutraliseFormulas;
      return this;
    }

    /** Whether CSV output starts with U+FEFF; default {@value ExportOptions#DEFAULT_BYTE_ORDER_MARK}. */
    public Builder byteOrderMark(boolean byteOrderMark) {
      this.byteOrderMark = byteOrderMark;
      return this;
    }

    /** Whether the JSON document is indented; default {@value ExportOptions#DEFAULT_PRETTY_PRINT}. */
    public Builder prettyPrint(boolean prettyPrint) {
      this.prettyPrint = prettyPrint;
      return this;
    }

    /** The options. */
    public ExportOptions build() {
      return new ExportOptions(this);
    }
  }
}
