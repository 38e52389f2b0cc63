package dev.cohort.examples;

import dev.cohort.core.batch.BatchRequest;
import dev.cohort.core.batch.Entity;
import java.util.List;
import java.util.Map;

/** The climate panel the examples share: six personas and the original documentation's batch settings. */
final class SamplePanel {
  /** The context every simulation of the examples shares. */
  static final String CONTEXT = "A panel discussion about potential solutions to climate change";

  private SamplePanel() {}

  /** Six personas with attributes. */
  static List<Entity> entities() {
    return List.of(
        new Entity("maya-chen", "Maya Chen", "Climate scientist who measures Arctic sea ice",
            Map.of("age", 41, "occupation", "climate scientist", "country", "Canada")),
        new Entity("tom-becker", "Tom Becker", "Engineer at a coal-fired power plant that is due to close",
            Map.of("age", 55, "occupation", "plant engineer", "country", "Germany")),
        new Entity("amara-okafor", "Amara Okafor", "Policy adviser on the energy transition",
            Map.of("age", 36, "occupation", "policy adviser", "country", "Nigeria")),
        new Entity("luis-ortega", "Luis Ortega", "Farmer facing longer droughts every year",
            Map.of("age", 47, "occupation", "farmer", "country", "Spain")),
        new Entity("priya-nair", "Priya Nair", "Founder of a grid-scale battery start-up",
            Map.of("age", 33, "occupation", "entrepreneur", "country", "India")),
        new Entity("kenji-watanabe", "Kenji Watanabe", "Fisherman whose catch moved north as the sea warmed",
            Map.of("age", 59, "occupation", "fisherman", "country", "Japan")));
  }

  /** Pairs of the six personas, {@code numSimulations} of them (15 pairs exist), two turns each. */
  static BatchRequest request(String name, int numSimulations) {
    return BatchRequest.builder()
        .name(name)
        .description("Simulating how different entities discuss climate change solutions")
        .context(CONTEXT)
        .entityIds(entities().stream().map(Entity::id).toList())
        .interactionSize(2)
        .numSimulations(numSimulations)
        .nTurns(2)
        .metadata(Map.of("category", "climate", "tags", List.of("environment", "discussion")))
        .build();
  }
}
