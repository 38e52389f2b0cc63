package dev.cohort.core.batch;

/** An entity, batch or simulation with the given id does not exist. */
public final class NotFoundException extends CohortException {
  private static final long serialVersionUID = 1L;

  private final String kind;
  private final String id;

  /**
   * @param kind what was looked up, such as {@code "batch"} or {@code "entity"}
   * @param id the id that was not found
   */
  public NotFoundException(String kind, String id) {
    super(kind + " " + id + " does not exist");
    this.kind = kind;
    this.id = id;
  }

  /** What was looked up: {@code "batch"}, {@code "entity"} or {@code "simulation"}. */
  public String kind() {
    return kind;
  }

  /** The id that was not found. */
  public String id() {
    return id;
  }
}
