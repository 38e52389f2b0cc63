package dev.cohort.core.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.cohort.core.batch.Entity;
import dev.cohort.core.batch.ValidationException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EntityJsonTest {
  private static EntityJson.Parsed read(String json) {
    return EntityJson.readOneOrMany(JsonText.parse(json.getBytes(StandardCharsets.UTF_8), "body"), "body");
  }

  @Test
  void errorsInsideAnArrayNameTheElementAndTheField() {
    ValidationException e = catchThrowableOfType(ValidationException.class, () -> read("""
        [{"id": "a", "name": "A"}, {"id": "b"}, {"id": "c", "name": "C", "attributes": {"age": "\\u0000"}, "age": 3}]
        """));

    assertThat(e.getMessage()).isEqualTo("entities[1].name: is required; "
        + "entities[2].age: is not a known field; known fields are id, name, description, attributes "
        + "(put other facts under attributes); entities[2].attributes.age: contains a NUL character");
  }

  @Test
  void oneObjectIsOneEntity() {
    EntityJson.Parsed parsed = read("{\"id\": \"a\", \"name\": \"A\", \"attributes\": {\"age\": 36}}");

    assertThat(parsed.single()).isTrue();
    assertThat(parsed.entities()).containsExactly(new Entity("a", "A", null, Map.of("age", 36)));
  }

  @Test
  void aSnapshotReadsBackEqual() {
    List<Entity> entities = List.of(
        new Entity("ada", "Ada", "a mathematician", Map.of("age", 36, "tags", List.of("logic", "engines"))),
        new Entity("bo", "Bo", null, Map.of()),
        new Entity("cy", "Cy", "a farmer", Map.of("nested", Map.of("ok", true, "x", 0.5, "big", 12_345_678_901L))));

    assertThat(EntityJson.readList(EntityJson.writeList(entities))).isEqualTo(entities);
    assertThat(EntityJson.readAttributes(EntityJson.writeAttributes(entities.get(2))))
        .isEqualTo(entities.get(2).attributes());
  }
}
