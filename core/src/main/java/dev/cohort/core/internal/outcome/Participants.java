package dev.cohort.core.internal.outcome;

import dev.cohort.core.batch.Entity;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A simulation's participants as the extraction prompt names them: by name (the model never sees
 * internal ids), a repeated name made unique as {@code "Name (2)"}. Maps a label the model
 * answered with back to the entity id, ignoring case and surrounding space.
 */
final class Participants {
  private final Map<String, Entity> byLabel = new LinkedHashMap<>();
  private final Map<String, String> idByKey = new HashMap<>();

  Participants(List<Entity> participants) {
    Map<String, Integer> seen = new HashMap<>();
    for (Entity e : participants) {
      int n = seen.merge(e.name(), 1, Integer::sum);
      String label = n == 1 ? e.name() : e.name() + " (" + n + ")";
      byLabel.put(label, e);
      idByKey.put(key(label), e.id());
    }
  }

  /** The labels, in the simulation's order. */
  List<String> labels() {
    return new ArrayList<>(byLabel.keySet());
  }

  /** The participants by label, in the simulation's order. */
  Map<String, Entity> byLabel() {
    return byLabel;
  }

  /** The entity id the label names, or null when it names no participant. */
  @Nullable String idOf(String label) {
    return idByKey.get(key(label));
  }

  private static String key(String label) {
    return label.strip().toLowerCase(Locale.ROOT);
  }
}
